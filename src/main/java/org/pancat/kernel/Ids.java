package org.pancat.kernel;

import java.util.regex.Pattern;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/**
 * The allowed forms of identifiers that appear in URLs. ASCII only, so look-alike characters,
 * encoded slashes and dot segments can never name an entity.
 */
public final class Ids {
  public static final String FACILITY = "[a-z0-9][a-z0-9-]{0,62}";
  public static final String SLUG = "[a-z0-9][a-z0-9._-]{0,99}";
  public static final String VERSION = "[A-Za-z0-9][A-Za-z0-9.+_~:-]{0,63}";
  public static final String ARTIFACT = "[a-f0-9]{24}";

  private static final Pattern FACILITY_PATTERN = Pattern.compile(FACILITY);
  private static final Pattern SLUG_PATTERN = Pattern.compile(SLUG);
  private static final Pattern VERSION_PATTERN = Pattern.compile(VERSION);
  private static final Pattern ARTIFACT_PATTERN = Pattern.compile(ARTIFACT);

  private Ids() {}

  public static String facility(String value) {
    return check("facility", value, FACILITY_PATTERN, "lower-case letters, digits and '-'");
  }

  public static String slug(String value) {
    String slug = check("slug", value, SLUG_PATTERN, "lower-case letters, digits, '.', '_', '-'");
    if (slug.contains("..")) {
      throw invalid("slug", "must not contain '..'");
    }
    return slug;
  }

  public static String version(String value) {
    String version = check("version", value, VERSION_PATTERN, "letters, digits and . + _ ~ : -");
    if (version.contains("..")) {
      throw invalid("version", "must not contain '..'");
    }
    return version;
  }

  public static String artifact(String value) {
    return check("artifact id", value, ARTIFACT_PATTERN, "24 lower-case hex digits");
  }

  public static boolean isFacility(String value) {
    return value != null && FACILITY_PATTERN.matcher(value).matches();
  }

  public static boolean isVersion(String value) {
    return value != null && VERSION_PATTERN.matcher(value).matches() && !value.contains("..");
  }

  public static boolean isArtifact(String value) {
    return value != null && ARTIFACT_PATTERN.matcher(value).matches();
  }

  public static String softwareId(String facility, String slug) {
    return facility + "/" + slug;
  }

  private static String check(String what, String value, Pattern pattern, String allowed) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw invalid(what, "must be " + allowed + " (at most the documented length)");
    }
    return value;
  }

  private static ProblemException invalid(String what, String message) {
    return new ProblemException(ProblemType.INVALID_IDENTIFIER, what + " " + message);
  }
}
