package org.pancat.catalogue;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A content digest {@code <algorithm>:<lower-case hex>} as used by OCI and pancat. */
public record Digest(String algorithm, String hex) {
  private static final Pattern FORM = Pattern.compile("(sha256|sha384|sha512):([0-9a-f]+)");

  public Digest {
    int expected = hexDigits(algorithm);
    if (hex.length() != expected) {
      throw new IllegalArgumentException(algorithm + " needs " + expected + " hex digits");
    }
  }

  /** Parses a digest, or says in words why it is not one. */
  public static Optional<String> problem(String value) {
    Matcher m = FORM.matcher(value);
    if (!m.matches()) {
      return Optional.of(
          "must be sha256:<64 lower-case hex>, sha384:<96 lower-case hex> or"
              + " sha512:<128 lower-case hex>");
    }
    int expected = hexDigits(m.group(1));
    if (m.group(2).length() != expected) {
      return Optional.of(
          m.group(1) + " needs exactly " + expected + " hex digits, got " + m.group(2).length());
    }
    return Optional.empty();
  }

  public static Digest parse(String value) {
    Optional<String> problem = problem(value);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    int colon = value.indexOf(':');
    return new Digest(value.substring(0, colon), value.substring(colon + 1));
  }

  private static int hexDigits(String algorithm) {
    return switch (algorithm) {
      case "sha256" -> 64;
      case "sha384" -> 96;
      default -> 128;
    };
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
