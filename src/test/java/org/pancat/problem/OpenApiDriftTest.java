package org.pancat.problem;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code openapi/openapi.yaml} is the API contract: this fails when the running
 * service's document differs. Regenerate with {@code ./mvnw test -Dtest=OpenApiDriftTest
 * -Dopenapi.update=true} and review the diff.
 */
@QuarkusTest
class OpenApiDriftTest {
  private static final Path COMMITTED = Path.of("openapi/openapi.yaml");

  @Test
  void servedDocumentMatchesTheCommittedOne() throws Exception {
    String served =
        given()
            .queryParam("format", "yaml")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    if (Boolean.getBoolean("openapi.update")) {
      Files.createDirectories(COMMITTED.getParent());
      Files.writeString(COMMITTED, served);
    }
    assertEquals(
        Files.readString(COMMITTED),
        served,
        "the API differs from openapi/openapi.yaml; if the change is intended, regenerate it"
            + " (see CONTRIBUTING.md) and commit it");
  }

  @Test
  void swaggerUiIsServed() {
    given().get("/q/swagger-ui/").then().statusCode(200);
  }
}
