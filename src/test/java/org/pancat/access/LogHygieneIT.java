package org.pancat.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * After the whole test suite has run (integration tests run after the unit and HTTP tests), the
 * node's log holds no bearer token of any test and no restricted reference of the fixtures.
 */
class LogHygieneIT {
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}");

  @Test
  void theSuiteLogHoldsNoTokenAndNoRestrictedReference() throws Exception {
    Path log = Path.of("target/pancat-test.log");
    assertTrue(Files.exists(log), "the test profile writes target/pancat-test.log");
    String text = Files.readString(log);
    assertTrue(text.contains("/api/v1/software"), "the access log was on during the suite");
    assertFalse(JWT.matcher(text).find(), "a bearer token is in the log");
    for (String restricted :
        List.of(
            "registry.esrf.fr/licensed", "registry.esrf.fr/matrix-", "registry.esrf.fr/secret-")) {
      assertFalse(text.contains(restricted), restricted + "... is in the log");
    }
  }
}
