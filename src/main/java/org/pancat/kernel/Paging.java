package org.pancat.kernel;

import org.pancat.problem.ProblemException;

/** The {@code page} and {@code size} query parameters of every list endpoint. */
public record Paging(int page, int size) {
  public static final int DEFAULT_SIZE = 20;
  public static final int MAX_SIZE = 100;

  /** Parses the raw parameters so a non-number is a 400 naming the parameter (not a 404). */
  public static Paging of(String page, String size) {
    return new Paging(
        parse("page", page, 1, 1, Integer.MAX_VALUE / MAX_SIZE),
        parse("size", size, DEFAULT_SIZE, 1, MAX_SIZE));
  }

  private static int parse(String name, String raw, int fallback, int min, int max) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ProblemException.invalid(name, "must be a whole number from " + min + " to " + max);
  }
}
