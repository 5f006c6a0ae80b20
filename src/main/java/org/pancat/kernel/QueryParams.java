package org.pancat.kernel;

import org.pancat.problem.ProblemException;

/**
 * Numbers and booleans from the query string, read strictly: a value that is not one is a 400
 * naming the parameter (JAX-RS would answer a conversion failure with 404, and a boolean it cannot
 * read is silently false).
 */
public final class QueryParams {
  private QueryParams() {}

  /** A whole number from {@code min} to {@code max}, or {@code fallback} when absent. */
  public static long number(String name, String raw, long fallback, long min, long max) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ProblemException.invalid(name, "must be a whole number from " + min + " to " + max);
  }

  /** {@code true} or {@code false}, or {@code fallback} when absent. */
  public static boolean flag(String name, String raw, boolean fallback) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    return switch (raw) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ProblemException.invalid(name, "must be true or false");
    };
  }
}
