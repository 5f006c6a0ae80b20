package org.pancat.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.anonymous;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.sha256;
import static org.pancat.support.Api.software;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pancat.support.Api;
import org.pancat.support.Tokens;

/**
 * The node's log (the test profile writes it to target/pancat-test.log, with HTTP access logging
 * on) never contains a bearer token or a restricted reference, including after failures. Runs last,
 * so the log it reads is the whole suite's.
 */
@QuarkusTest
class LogHygieneTest {
  private static final Path LOG = Path.of("target/pancat-test.log");

  @Test
  void logsHoldNoTokensAndNoRestrictedReferences() throws Exception {
    String publisher = Tokens.publisher("esrf");
    String forged = Tokens.forgedAdmin();
    String expired = Tokens.expiredPublisher("esrf");
    String slug = uniqueSlug("secret");
    String reference = "registry.esrf.fr/secret-" + slug + "/image";
    String base = "/api/v1/software/esrf/" + slug;
    as(publisher).body(software("Secret", "MIT")).put(base).then().statusCode(201);
    as(publisher).body(Map.of()).put(base + "/releases/1").then().statusCode(201);
    String id =
        as(publisher)
            .body(Api.image(reference, sha256('5'), "non-shareable"))
            .post(base + "/releases/1/artifacts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    // failures on every path that handles the reference or a token
    as(publisher)
        .body(Api.image(reference, sha256('6'), "non-shareable"))
        .post(base + "/releases/1/artifacts")
        .then()
        .statusCode(409);
    as(Tokens.user("eve", "desy", List.of()))
        .get(base + "/releases/1/artifacts/" + id)
        .then()
        .statusCode(200);
    as(forged).get("/api/v1/me").then().statusCode(401);
    as(expired).get("/api/v1/me").then().statusCode(401);
    anonymous()
        .body("{\"kind\": \"oci-image\", \"reference\": \"" + reference + "\", \"digest\": 5}")
        .header("Authorization", "Bearer " + expired)
        .post(base + "/releases/1/artifacts")
        .then()
        .statusCode(401);
    as(publisher)
        .body("{\"kind\": \"oci-image\", \"reference\": \"" + reference + "\", \"digest\": 5}")
        .post(base + "/releases/1/artifacts")
        .then()
        .statusCode(400);

    Thread.sleep(500); // let the file handler flush
    assertTrue(Files.exists(LOG), "the test profile writes the log file");
    String log = Files.readString(LOG);
    assertTrue(log.contains(base), "the access log records requests, so the check is meaningful");
    for (String token : List.of(publisher, forged, expired)) {
      assertFalse(log.contains(token), "a token is in the log");
      assertFalse(
          log.contains(token.substring(token.lastIndexOf('.') + 1)),
          "a token signature is in the log");
    }
    assertFalse(log.contains(reference), "a non-shareable reference is in the log");
  }
}
