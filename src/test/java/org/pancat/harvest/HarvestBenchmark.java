package org.pancat.harvest;

import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pancat.support.AptRepositoryFixture;
import org.pancat.support.AptRepositoryFixture.PackageSpec;
import org.pancat.support.NodeProcess;
import org.pancat.support.OciRegistryFixture;

/**
 * Harvest throughput of a packaged node on its embedded database: an OCI registry of N tags (in
 * repositories of 50, with labels, one in ten signed) and a signed APT repository of M packages,
 * each harvested once from scratch (every item written) and once again unchanged. Not a test: run
 * {@code bench/harvest.sh [tags] [packages]}; results go to bench/results/harvest.txt.
 */
public final class HarvestBenchmark {
  public static void main(String[] args) throws Exception {
    int tags = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int packages = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    Path home = Files.createTempDirectory("pancat-harvest-bench");
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "pancat harvest throughput (packaged node, embedded H2, one source at a time)%n"
                + "date: %s%njava: %s, cores: %d%n%n%-44s %8s %8s %9s %10s %9s%n",
            Instant.now(),
            System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors(),
            "run",
            "items",
            "written",
            "requests",
            "seconds",
            "items/s"));
    List<PackageSpec> specs = new ArrayList<>(AptRepositoryFixture.debianPanPackages());
    for (int i = specs.size(); i < packages; i++) {
      specs.add(
          new PackageSpec(
              "bench-tool-" + i,
              "1." + i + "-1",
              "bench-tool-" + i,
              "https://example.org/" + i,
              "science",
              i % 5 == 0 ? "all" : "amd64",
              "Generated package " + i));
    }
    try (OciRegistryFixture registry = OciRegistryFixture.start();
        AptRepositoryFixture apt =
            AptRepositoryFixture.build("stable", specs.subList(0, packages));
        NodeProcess node = new NodeProcess(home, Map.of("PANCAT_HARVEST_SCHEDULED", "false"))) {
      List<String> repositories = new ArrayList<>();
      for (int i = 0; i < tags; i++) {
        String repository = "bench/tool-" + (i / 50);
        if (!repositories.contains(repository)) {
          repositories.add(repository);
        }
        registry.pushImage(
            repository,
            "1." + i,
            Map.of(
                "org.opencontainers.image.version",
                "1." + i,
                "org.opencontainers.image.licenses",
                "MIT",
                "org.opencontainers.image.title",
                "Bench tool " + (i / 50),
                "org.pancat.techniques",
                "SAXS"),
            "linux",
            "amd64");
      }
      node.startTimeout(Duration.ofMinutes(5)).start();
      String admin = node.devToken("bench", null, List.of("admin"));
      node.as(admin)
          .body(Map.of("name", "Bench"))
          .put("/api/v1/facilities/bench")
          .then()
          .statusCode(201);
      node.as(admin)
          .body(
              Map.of(
                  "facility", "bench",
                  "kind", "oci",
                  "interval", "PT0S",
                  "oci",
                      Map.of("registry", registry.uri().toString(), "repositories", repositories)))
          .put("/api/v1/harvest/oci")
          .then()
          .statusCode(201);
      node.as(admin)
          .body(
              Map.of(
                  "facility",
                  "bench",
                  "kind",
                  "apt",
                  "interval",
                  "PT0S",
                  "apt",
                  Map.of(
                      "url",
                      apt.baseUrl().toString(),
                      "suite",
                      "stable",
                      "architectures",
                      AptRepositoryFixture.ARCHITECTURES,
                      "archiveKey",
                      apt.armoredKey(),
                      "registerUnmatched",
                      true)))
          .put("/api/v1/harvest/apt")
          .then()
          .statusCode(201);
      for (String source : List.of("oci", "apt")) {
        for (String pass : List.of("first run (all new)", "second run (unchanged)")) {
          JsonPath run = run(node, admin, source);
          if (!"succeeded".equals(run.getString("state"))) {
            throw new IllegalStateException(run.prettify());
          }
          int items = run.getInt("progress.done");
          int written = run.getInt("counts.added") + run.getInt("counts.updated");
          double seconds = run.getLong("durationMs") / 1000.0;
          String line =
              String.format(
                  Locale.ROOT,
                  "%-44s %8d %8d %9d %10.2f %9.0f%n",
                  source + ": " + pass,
                  items,
                  written,
                  run.getInt("counts.requests"),
                  seconds,
                  items / Math.max(seconds, 0.001));
          report.append(line);
          System.out.print(line);
        }
      }
    }
    report.append(
        String.format(
            "%nitems: OCI tags (%d in %d repositories) and APT packages per architecture (%d packages, amd64 and arm64; 'all' ones count once)%n",
            tags, (tags + 49) / 50, packages));
    Path out = Path.of("bench/results/harvest.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
    System.out.print(report);
  }

  private static JsonPath run(NodeProcess node, String token, String source)
      throws InterruptedException {
    long id =
        node.as(token)
            .post("/api/v1/harvest/" + source + "/run")
            .then()
            .statusCode(202)
            .extract()
            .jsonPath()
            .getLong("id");
    JsonPath report;
    do {
      Thread.sleep(200);
      report =
          node.as(token)
              .get("/api/v1/harvest/" + source + "/runs/" + id)
              .then()
              .extract()
              .jsonPath();
    } while ("running".equals(report.getString("state")));
    return report;
  }
}
