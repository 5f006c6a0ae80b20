package org.pancat.harvest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pancat.support.Api;
import org.pancat.support.NodeProcess;
import org.pancat.support.OciRegistryFixture;

/**
 * A node killed (SIGKILL) in the middle of a harvest: its run is marked interrupted at the next
 * start, what it wrote is whole, and the next run writes the rest, each image once.
 */
class HarvestKillIT {
  private static final int TAGS = 300;

  @Test
  void aKilledRunIsInterruptedAndTheNextRunFinishesIt() throws Exception {
    Path home = Files.createTempDirectory("pancat-harvest-kill");
    try (OciRegistryFixture registry = OciRegistryFixture.start();
        NodeProcess node = new NodeProcess(home, Map.of("PANCAT_HARVEST_SCHEDULED", "false"))) {
      String repository = "pan/many";
      for (int i = 0; i < TAGS; i++) {
        registry.pushImage(
            repository,
            "1." + i,
            Map.of("org.opencontainers.image.version", "1." + i, "org.pancat.software", "many"),
            "linux",
            "amd64");
      }
      node.start();
      String admin = node.devToken("it-admin", null, List.of("admin"));
      String publisher = node.devToken("it-publisher", "kill", List.of("publisher"));
      node.as(admin)
          .body(Map.of("name", "Kill lab"))
          .put("/api/v1/facilities/kill")
          .then()
          .statusCode(201);
      node.as(publisher)
          .body(
              Map.of(
                  "facility", "kill",
                  "kind", "oci",
                  "interval", "PT0S",
                  "oci",
                      Map.of(
                          "registry",
                          registry.uri().toString(),
                          "repositories",
                          List.of(repository))))
          .put("/api/v1/harvest/many")
          .then()
          .statusCode(201);
      long run =
          node.as(publisher)
              .post("/api/v1/harvest/many/run")
              .then()
              .statusCode(202)
              .extract()
              .jsonPath()
              .getLong("id");
      JsonPath during;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      do {
        Thread.sleep(50);
        during =
            node.as(publisher).get("/api/v1/harvest/many/runs/" + run).then().extract().jsonPath();
      } while (during.getInt("progress.done") < 10 && System.nanoTime() < deadline);
      assertEquals(
          "running", during.getString("state"), "the run must still go when the node is killed");
      node.kill();
      node.start();

      JsonPath interrupted =
          node.as(publisher)
              .get("/api/v1/harvest/many/runs/" + run)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertEquals("interrupted", interrupted.getString("state"), interrupted.prettify());
      JsonPath next =
          waitFor(
              node,
              publisher,
              node.as(publisher)
                  .post("/api/v1/harvest/many/run")
                  .then()
                  .statusCode(202)
                  .extract()
                  .jsonPath()
                  .getLong("id"));
      assertEquals("succeeded", next.getString("state"), next.prettify());
      int added = next.getInt("counts.added");
      int unchanged = next.getInt("counts.unchanged");
      assertEquals(TAGS, added + unchanged, next.prettify());
      assertTrue(
          unchanged > 0 && added > 0,
          "some were written before the kill, the rest after: " + next.prettify());
      List<String> versions =
          node.as(publisher)
              .get("/api/v1/software/kill/many")
              .then()
              .statusCode(200)
              .extract()
              .path("versions");
      assertEquals(TAGS, versions.size());
      // each image was written once: one artifact change per tag in the log
      long artifacts =
          Api.everyChange(() -> node.as(admin)).stream()
              .filter(
                  c ->
                      "artifact".equals(c.get("entity"))
                          && "kill/many".equals(((Map<?, ?>) c.get("body")).get("software")))
              .count();
      assertEquals(TAGS, artifacts);
    }
  }

  private static JsonPath waitFor(NodeProcess node, String token, long run)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    JsonPath report;
    do {
      Thread.sleep(100);
      report = node.as(token).get("/api/v1/harvest/many/runs/" + run).then().extract().jsonPath();
    } while ("running".equals(report.getString("state")) && System.nanoTime() < deadline);
    return report;
  }
}
