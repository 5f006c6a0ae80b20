package org.pancat.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.pancat.support.ContractCheck;

/**
 * The contract check that every HTTP test runs: it is installed, and it refuses what the document
 * does not declare (a wrong type, an undeclared status, a problem without its members).
 */
@QuarkusTest
class ContractCheckTest {
  private static final String LICENCE = "/api/v1/licences/MIT";

  @Test
  void everyHttpTestHasTheCheck() {
    assertTrue(RestAssured.filters().stream().anyMatch(ContractCheck.class::isInstance));
  }

  @Test
  void nullWhereTheDocumentSaysNullableIsAccepted() {
    assertFalse(check(Request.Method.GET, LICENCE, 200, licence("null")).hasErrors());
  }

  @Test
  void aWrongTypeIsRefused() {
    assertTrue(check(Request.Method.GET, LICENCE, 200, licence("5")).hasErrors());
  }

  @Test
  void aStatusTheDocumentDoesNotDeclareIsRefused() {
    assertFalse(check(Request.Method.PUT, LICENCE, 201, licence("null")).hasErrors());
    assertTrue(check(Request.Method.PUT, LICENCE, 202, licence("null")).hasErrors());
  }

  @Test
  void aProblemWithoutItsTypeIsRefused() {
    String complete =
        "{\"type\":\"https://pancat.example/problems/not-found\",\"title\":\"Not found\","
            + "\"status\":404,\"candidates\":[]}";
    assertFalse(problem(complete).hasErrors());
    assertTrue(problem("{\"title\":\"Not found\",\"status\":404}").hasErrors());
  }

  private static String licence(String url) {
    return "{\"id\":\"MIT\",\"title\":\"MIT License\",\"version\":\"1\",\"url\":"
        + url
        + ",\"text\":null,\"updatedAt\":\"2026-12-01T10:00:00Z\"}";
  }

  private static ValidationReport problem(String body) {
    return ContractCheck.report(
        LICENCE,
        Request.Method.GET,
        SimpleResponse.Builder.status(404)
            .withContentType(Problem.MEDIA_TYPE)
            .withBody(body)
            .build());
  }

  private static ValidationReport check(
      Request.Method method, String path, int status, String body) {
    return ContractCheck.report(
        path,
        method,
        SimpleResponse.Builder.status(status)
            .withContentType("application/json")
            .withBody(body)
            .build());
  }
}
