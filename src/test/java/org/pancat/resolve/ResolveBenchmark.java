package org.pancat.resolve;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.pancat.catalogue.ArtifactDocument;
import org.pancat.catalogue.ReleaseDocument;
import org.pancat.catalogue.SoftwareDocument;
import org.pancat.kernel.CanonicalJson;
import org.pancat.search.SearchBenchmark;
import org.pancat.support.NodeProcess;
import org.pancat.support.Tokens;

/**
 * {@code POST /api/v1/resolve} latency at catalogue scale, through HTTP against the packaged node.
 * The catalogue (N software, one or two releases each, 1-3 artifacts per release across
 * oci-image/sif/cvmfs/deb with realistic platform, GPU and sharing mixes) is bulk-loaded into the
 * node's H2 database while it is stopped; the node then rebuilds its search index from it on start.
 * Not a test: run {@code bench/resolve.sh [N]}; results go to bench/results/.
 */
public final class ResolveBenchmark {
  private static final String PANET = "http://purl.org/pan-science/PaNET/PaNET";
  private static final String[] FACILITIES = {"esrf", "desy", "psi", "diamond", "soleil"};

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path home = Files.createTempDirectory("pancat-resolve-bench");
    try (NodeProcess node =
        new NodeProcess(home, Map.of("PANCAT_CATALOGUE_DEMO_LOAD", "never"))
            .startTimeout(Duration.ofMinutes(30))) {
      node.start();
      String admin =
          Tokens.devAt(
              home.resolve("data/dev-issuer"),
              "bench",
              null,
              List.of("admin"),
              List.of(),
              Duration.ofHours(2));
      HttpClient http = HttpClient.newHttpClient();
      for (String f : FACILITIES) {
        send(http, node, admin, "PUT", "/api/v1/facilities/" + f, "{\"name\":\"" + f + "\"}");
      }
      send(
          http,
          node,
          admin,
          "PUT",
          "/api/v1/compute-resources/gpu-cluster",
          "{\"facility\":\"esrf\",\"architectures\":[\"x86_64\"],\"gpus\":[{\"vendor\":\"nvidia\",\"cudaDriver\":\"12.4\"}],\"runtimes\":[\"apptainer\"],\"cvmfsRepositories\":[\"unpacked.cern.ch\"]}");
      send(
          http,
          node,
          admin,
          "PUT",
          "/api/v1/compute-resources/jupyterhub",
          "{\"facility\":\"desy\",\"architectures\":[\"amd64\"],\"runtimes\":[\"kubernetes\"]}");
      node.stop();

      Instant loadStart = Instant.now();
      load(home.resolve("data/db/pancat"), n);
      double loadSeconds = Duration.between(loadStart, Instant.now()).toMillis() / 1000.0;
      node.deleteSearchIndex();
      Instant startAt = Instant.now();
      node.start();
      double rebuildSeconds = Duration.between(startAt, Instant.now()).toMillis() / 1000.0;

      String user =
          Tokens.devAt(
              home.resolve("data/dev-issuer"),
              "bench-user",
              "esrf",
              List.of(),
              List.of(),
              Duration.ofHours(2));
      Random r = new Random(11);
      Map<String, Supplier<String>> workloads = new LinkedHashMap<>();
      workloads.put(
          "technique (narrow), GPU cluster, Apptainer only",
          () ->
              "{\"technique\":\""
                  + PANET
                  + SearchBenchmark.DEMO_TECHNIQUES[
                      r.nextInt(SearchBenchmark.DEMO_TECHNIQUES.length)]
                  + "\",\"computeResource\":\"gpu-cluster\"}");
      workloads.put(
          "technique (broad: x-ray scattering), JupyterHub",
          () ->
              "{\"technique\":\"x-ray scattering\",\"computeResource\":\"jupyterhub\",\"constraints\":{\"kinds\":[\"oci-image\"]}}");
      workloads.put(
          "one software by id, GPU cluster",
          () -> {
            int i = r.nextInt(n);
            return "{\"software\":\""
                + FACILITIES[i % FACILITIES.length]
                + "/tool-"
                + i
                + "\",\"computeResource\":\"gpu-cluster\"}";
          });
      workloads.put(
          "free text, inline capabilities",
          () ->
              "{\"q\":\"tomography reconstruction\",\"capabilities\":{\"facility\":\"psi\",\"architectures\":[\"aarch64\"],\"runtimes\":[\"podman\"]}}");

      StringBuilder report = new StringBuilder();
      report.append(
          String.format(
              Locale.ROOT,
              "pancat resolve benchmark: POST /api/v1/resolve over HTTP (loopback), packaged node, H2%n"
                  + "date: %s%njava: %s, cores: %d%nsoftware: %,d (bulk load %.0f s, index rebuild at start %.0f s)%n"
                  + "node JVM options: %s; launch-candidate cache: default size%n"
                  + "each request considers up to 50 software and all their live artifacts%n%n",
              Instant.now(),
              System.getProperty("java.version"),
              Runtime.getRuntime().availableProcessors(),
              n,
              loadSeconds,
              rebuildSeconds,
              System.getProperty("pancat.node.jvm-options", "(JVM defaults)")));
      report.append(
          String.format(
              Locale.ROOT,
              "%-52s %8s %8s %8s %8s %12s%n",
              "request",
              "p50 ms",
              "p90 ms",
              "p99 ms",
              "max ms",
              "candidates"));
      for (Map.Entry<String, Supplier<String>> w : workloads.entrySet()) {
        for (int i = 0; i < 200; i++) {
          send(http, node, user, "POST", "/api/v1/resolve", w.getValue().get());
        }
        int runs = 1000;
        long[] nanos = new long[runs];
        long candidates = 0;
        for (int i = 0; i < runs; i++) {
          String body = w.getValue().get();
          long t0 = System.nanoTime();
          String response = send(http, node, user, "POST", "/api/v1/resolve", body);
          nanos[i] = System.nanoTime() - t0;
          candidates += response.split("\"pinnedReference\"", -1).length - 1;
        }
        Arrays.sort(nanos);
        report.append(
            String.format(
                Locale.ROOT,
                "%-52s %8.2f %8.2f %8.2f %8.2f %12.1f%n",
                w.getKey(),
                nanos[runs / 2] / 1e6,
                nanos[runs * 9 / 10] / 1e6,
                nanos[runs * 99 / 100] / 1e6,
                nanos[runs - 1] / 1e6,
                candidates / (double) runs));
      }
      report.append("\ntarget: p99 < 20 ms at 100k software\n");
      System.out.print(report);
      Files.createDirectories(Path.of("bench/results"));
      Files.writeString(Path.of("bench/results/resolve-" + n + ".txt"), report.toString());
      node.stop();
    }
  }

  private static void load(Path db, int n) throws Exception {
    ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
    Random r = new Random(42);
    Timestamp now = Timestamp.from(Instant.now());
    String[] kinds = {"oci-image", "oci-image", "sif", "cvmfs", "deb"};
    try (Connection c =
        DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath(), "pancat", "pancat")) {
      c.setAutoCommit(false);
      try (PreparedStatement sw =
              c.prepareStatement(
                  "INSERT INTO software (id, facility_id, slug, name, document, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?)");
          PreparedStatement rel =
              c.prepareStatement(
                  "INSERT INTO software_release (id, software_id, version, document, published_at, published_by) VALUES (?,?,?,?,?,?)");
          PreparedStatement art =
              c.prepareStatement(
                  "INSERT INTO artifact (id, release_id, kind, reference, digest, sharing_class, document, published_at, published_by) VALUES (?,?,?,?,?,?,?,?,?)")) {
        long releaseId = 1_000_000;
        for (int i = 0; i < n; i++) {
          String facility = FACILITIES[i % FACILITIES.length];
          String slug = "tool-" + i;
          String id = facility + "/" + slug;
          List<String> techniques =
              Stream.generate(
                      () ->
                          PANET
                              + SearchBenchmark.DEMO_TECHNIQUES[
                                  r.nextInt(SearchBenchmark.DEMO_TECHNIQUES.length)])
                  .limit(1 + r.nextInt(2))
                  .distinct()
                  .toList();
          SoftwareDocument doc =
              new SoftwareDocument(
                  "Tool " + i,
                  "Analysis tool " + i + " for tomography reconstruction and scattering",
                  null,
                  r.nextInt(10) == 0 ? "GPL-3.0-or-later" : "MIT",
                  techniques,
                  List.of(),
                  List.of(),
                  List.of(),
                  List.of("bench"),
                  List.of(),
                  Map.of());
          sw.setString(1, id);
          sw.setString(2, facility);
          sw.setString(3, slug);
          sw.setString(4, doc.name());
          sw.setString(5, mapper.writeValueAsString(doc));
          sw.setTimestamp(6, now);
          sw.setString(7, "bench");
          sw.setTimestamp(8, now);
          sw.setString(9, "bench");
          sw.addBatch();
          int releases = r.nextInt(10) < 3 ? 2 : 1;
          for (int v = 1; v <= releases; v++) {
            releaseId++;
            String version = v + ".0";
            rel.setLong(1, releaseId);
            rel.setString(2, id);
            rel.setString(3, version);
            rel.setString(4, mapper.writeValueAsString(new ReleaseDocument(null, null, null)));
            rel.setTimestamp(5, Timestamp.from(now.toInstant().plusSeconds(v)));
            rel.setString(6, "bench");
            rel.addBatch();
            int artifacts = 1 + r.nextInt(3);
            for (int k = 0; k < artifacts; k++) {
              String kind = kinds[r.nextInt(kinds.length)];
              String arch = r.nextInt(4) == 0 ? "arm64" : "amd64";
              String reference =
                  switch (kind) {
                    case "sif" ->
                        "https://sif."
                            + facility
                            + ".example/"
                            + slug
                            + "-"
                            + version
                            + "-"
                            + k
                            + ".sif";
                    case "cvmfs" ->
                        "/cvmfs/unpacked.cern.ch/registry."
                            + facility
                            + ".example/"
                            + slug
                            + ":"
                            + version
                            + "-"
                            + k;
                    case "deb" -> "python3-" + slug.replace("-", "") + k;
                    default ->
                        "registry." + facility + ".example/pan/" + slug + ":" + version + "-" + k;
                  };
              String sharing =
                  r.nextInt(10) == 0 ? "restricted" : r.nextInt(20) == 0 ? "non-shareable" : "open";
              ArtifactDocument ad =
                  new ArtifactDocument(
                      kind,
                      reference,
                      "sha256:" + CanonicalJson.sha256(reference),
                      List.of(new ArtifactDocument.Platform("linux", arch, null)),
                      r.nextInt(8) == 0
                          ? new ArtifactDocument.Requirements("nvidia", "12.0", null, null, null)
                          : null,
                      List.of(),
                      Map.of(),
                      null,
                      new ArtifactDocument.Sharing(
                          sharing,
                          sharing.equals("restricted")
                              ? new org.pancat.access.SharingConditions(
                                  null, List.of("staff"), null, null, null)
                              : null));
              art.setString(
                  1,
                  CanonicalJson.sha256(id + "@" + version + "\n" + kind + "\n" + reference)
                      .substring(0, 24));
              art.setLong(2, releaseId);
              art.setString(3, kind);
              art.setString(4, reference);
              art.setString(5, ad.digest());
              art.setString(6, sharing);
              art.setString(7, mapper.writeValueAsString(ad));
              art.setTimestamp(8, now);
              art.setString(9, "bench");
              art.addBatch();
            }
          }
          if (i % 1000 == 999) {
            sw.executeBatch();
            rel.executeBatch();
            art.executeBatch();
            c.commit();
          }
        }
        sw.executeBatch();
        rel.executeBatch();
        art.executeBatch();
        // releases the node publishes later take ids after the loaded ones (pooled blocks of 50)
        try (Statement sequence = c.createStatement()) {
          sequence.execute("ALTER SEQUENCE release_id_seq RESTART WITH " + (releaseId + 50));
        }
        c.commit();
      }
    }
  }

  private static String send(
      HttpClient http, NodeProcess node, String token, String method, String path, String body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + path + " -> " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
