package org.pancat.search;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pancat.support.NodeProcess;
import org.pancat.support.Tokens;

/**
 * The search index against real restarts of the packaged node: it survives a restart, is rebuilt
 * when deleted, and a crash after a commit but before the index is durable loses nothing.
 */
class IndexLifecycleIT {

  @TempDir Path home;

  @Test
  void indexSurvivesRestartRebuildsWhenDeletedAndIsRepairedAfterACrash() throws Exception {
    // an hour between index commits: only a clean shutdown makes the index durable
    try (NodeProcess node =
        new NodeProcess(home, Map.of("PANCAT_SEARCH_LUCENE_COMMIT_INTERVAL", "1h"))) {
      node.start();
      assertTrue(ids(node, "technique", "SAXS").contains("esrf/pyfai"), "demo data indexed");
      register(node, "restart-probe");
      assertTrue(ids(node, "q", "restart-probe").contains("esrf/restart-probe"));

      node.stop();
      node.start();
      assertTrue(ids(node, "q", "restart-probe").contains("esrf/restart-probe"));
      assertFalse(node.log().contains("rebuilding"), "a clean restart reuses the index");

      node.stop();
      node.deleteSearchIndex();
      node.start();
      assertTrue(node.log().contains("search index rebuilt"), node.log());
      assertTrue(ids(node, "q", "restart-probe").contains("esrf/restart-probe"));
      assertTrue(ids(node, "technique", "SAXS").contains("esrf/pyfai"));

      register(node, "crash-probe");
      assertTrue(ids(node, "q", "crash-probe").contains("esrf/crash-probe"));
      node.kill();
      node.start();
      assertTrue(
          ids(node, "q", "crash-probe").contains("esrf/crash-probe"),
          "the change committed before the crash is indexed again from the change log");
    }
  }

  private void register(NodeProcess node, String slug) {
    String token =
        Tokens.devAt(
            home.resolve("data/dev-issuer"),
            "it-publisher",
            "esrf",
            List.of("publisher"),
            List.of(),
            Duration.ofMinutes(10));
    given()
        .baseUri(node.baseUrl())
        .contentType(ContentType.JSON)
        .header("Authorization", "Bearer " + token)
        .body(Map.of("name", slug, "licence", "MIT", "keywords", List.of(slug)))
        .put("/api/v1/software/esrf/" + slug)
        .then()
        .statusCode(201);
  }

  private static List<String> ids(NodeProcess node, String param, String value) {
    return given()
        .baseUri(node.baseUrl())
        .queryParam(param, value)
        .queryParam("size", 100)
        .get("/api/v1/software")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items.id");
  }
}
