package org.pancat.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.pancat.kernel.CanonicalJson;
import org.pancat.search.SearchBenchmark;

/**
 * Feed throughput and propagation lag between real node processes (bench/federation.sh).
 *
 * <ol>
 *   <li>Node a's change log is bulk-loaded with N entries as a's own writes would make them
 *       (facilities, then per software: the software, a release, one to three artifacts).
 *   <li>Export: every page of a's feed read over HTTP, first (a signs each entry once and keeps the
 *       signature) and again (signatures stored).
 *   <li>Verify and apply: node b, empty, pulls all of it from a (page and origin signatures
 *       checked, catalogue rows written, entries appended to b's log), timed from the sync request
 *       until b's cursor reaches a's head.
 *   <li>Lag: c pulls b only; one software registered on a, timed until c serves it (a notifies b, b
 *       pulls, applies and notifies c, c pulls).
 * </ol>
 */
public final class FederationBenchmark {
  private static final String PANET = "http://purl.org/pan-science/PaNET/PaNET";
  private static final String[] FACILITIES = {"esrf", "desy", "psi", "diamond", "soleil"};
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  // as the README's PostgreSQL section recommends for a node
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path root = Files.createTempDirectory("pancat-federation-bench");
    StringBuilder report = new StringBuilder();
    String database = System.getProperty("pancat.bench.database", "h2");
    try (FederatedNode a = new FederatedNode(root, "a");
        FederatedNode b = new FederatedNode(root, "b");
        FederatedNode c = new FederatedNode(root, "c");
        FederatedNode d = new FederatedNode(root, "d")) {
      for (FederatedNode node : List.of(a, b, c, d)) {
        node.process.startTimeout(Duration.ofMinutes(20));
      }
      if (database.equals("postgresql")) {
        // a serves its bulk-loaded H2 log; the nodes that apply feeds keep theirs in PostgreSQL,
        // each in a database of its own (NodeProcess), run by the build for PostgreSQL
        a.process.embeddedDatabase();
        Path pgJar =
            Path.of(System.getProperty("pancat.bench.pg-jar", "target/pg/quarkus-run.jar"));
        for (FederatedNode node : List.of(b, c, d)) {
          node.process.jar(pgJar);
        }
      }
      a.peers(FederatedNode.peer(b, false, ""), FederatedNode.peer(d, false, ""));
      // d starts from a's snapshot; b reads a's feed page by page
      d.peers(FederatedNode.peer(a, true, "").replace("PT2S", "PT1H"));
      b.process.env("PANCAT_FEDERATION_BOOTSTRAP_FROM_SNAPSHOT", "false");
      b.peers(
          FederatedNode.peer(a, true, "").replace("PT2S", "PT1H"),
          FederatedNode.peer(c, false, ""));
      // c takes only the probes' facility: its catch-up before the lag probes stays short
      c.peers(
          FederatedNode.peer(a, false, ""),
          FederatedNode.peer(b, true, "    import:\n      facilities: [lag]\n"));
      b.process.env("PANCAT_FEDERATION_PAGE_SIZE", "1000");
      b.process.env("QUARKUS_LOG_CATEGORY__ORG_PANCAT_FEDERATION__LEVEL", "DEBUG");

      // a: schema created by a first start, then the log bulk-loaded while it is stopped
      a.process.start();
      a.process.stop();
      Instant loadStart = Instant.now();
      Loaded first = load(a.home.resolve("data/db/pancat"), n, 0);
      double loadSeconds = seconds(loadStart);
      a.process.start();

      double firstExport = exportAll(a);
      double secondExport = exportAll(a);

      // b, just started, pulls all of it: measured from the sync request until it answers
      b.process.start();
      Sync apply = timedSync(b, "apply a's feed", FederationBenchmark::caughtUp);
      // d bootstraps while b idles
      d.process.start();
      Sync bootstrap =
          timedSync(d, "bootstrap from a's snapshot", s -> s.hasNonNull("bootstrapSeq"));
      d.process.stop();

      // a's next n entries (signed by an export first), pulled by b, warm now like a running node
      a.process.stop();
      load(a.home.resolve("data/db/pancat"), n, first.tools());
      a.process.start();
      exportAll(a);
      Sync warm = timedSync(b, "apply a's next entries", FederationBenchmark::caughtUp);

      c.process.start();
      FederatedNode.await(
          "c to catch up with b",
          Duration.ofMinutes(30),
          () -> {
            JsonPath s = c.status("b");
            return s.getLong("cursor") > 0 && s.getLong("entriesBehind") == 0;
          },
          c);
      a.registerFacility("lag");
      double[] lags = new double[20];
      for (int i = 0; i < lags.length; i++) {
        String slug = "lag-probe-" + i;
        Instant t0 = Instant.now();
        a.as(a.publisher("lag"))
            .body(Map.of("name", slug, "licence", "MIT"))
            .put("/api/v1/software/lag/" + slug)
            .then()
            .statusCode(201);
        FederatedNode.await(
            slug + " on c",
            Duration.ofSeconds(60),
            () -> c.anonymous().get("/api/v1/software/lag/" + slug).statusCode() == 200,
            a,
            b,
            c);
        lags[i] = seconds(t0);
      }
      Arrays.sort(lags);

      report.append(
          String.format(
              Locale.ROOT,
              "pancat federation benchmark: packaged nodes over loopback HTTP, one machine%n"
                  + "databases: a (serving) H2; b, c, d (applying) %s%n"
                  + "date: %s%njava: %s, cores: %d%n"
                  + "a's log: %,d exported entries (%d facilities; per software: software, release,"
                  + " 1-3 artifacts), bulk-loaded in %.0f s%n%n"
                  + "export (GET /federation/changes, pages of 1000, signed by a)%n"
                  + "  first read (each entry signed once, signature stored): %,10.0f entries/s%n"
                  + "  again (stored signatures):                            %,10.0f entries/s%n%n"
                  + "verify + apply on b (page and origin ES256 signatures, catalogue rows, b's log,"
                  + " b's search index catching up alongside)%n"
                  + "  node just started (its JIT compilers busy throughout):%n"
                  + "    %,d entries applied in %.1f s: %,10.0f entries/s  (target >= 5,000)%n"
                  + "    second half:                       %,10.0f entries/s%n"
                  + "  node warm (a's next entries, pulled after those):%n"
                  + "    %,d entries applied in %.1f s: %,10.0f entries/s  (target >= 5,000)%n%n"
                  + "bootstrap of a new node d from a's snapshot (one signed stream, then applied"
                  + " in dependency order)%n"
                  + "  %,d entries applied in %.1f s: %,10.0f entries/s%n"
                  + "  second half (node warm):            %,10.0f entries/s%n%n"
                  + "lag, commit on a -> visible on c, relayed by b, through notify (20 probes)%n"
                  + "  p50 %.2f s, max %.2f s  (target < 2 s)%n",
              database.equals("postgresql") ? postgresqlVersion() : "H2",
              Instant.now(),
              System.getProperty("java.version"),
              Runtime.getRuntime().availableProcessors(),
              first.entries(),
              FACILITIES.length,
              loadSeconds,
              first.entries() / firstExport,
              first.entries() / secondExport,
              apply.applied(),
              apply.seconds(),
              apply.rate(),
              apply.secondHalfRate(),
              warm.applied(),
              warm.seconds(),
              warm.rate(),
              bootstrap.applied(),
              bootstrap.seconds(),
              bootstrap.rate(),
              bootstrap.secondHalfRate(),
              lags[lags.length / 2],
              lags[lags.length - 1]));
      for (FederatedNode node : List.of(c, b, a)) {
        node.process.stop(); // gracefully: a flight recording, if asked for, is written
      }
    }
    System.out.print(report);
    Files.createDirectories(Path.of("bench/results"));
    String suffix = database.equals("h2") ? "" : "-" + database;
    Files.writeString(
        Path.of("bench/results/federation-" + n + suffix + ".txt"), report.toString());
  }

  private static String postgresqlVersion() throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                System.getenv("PANCAT_TEST_DB_URL"),
                System.getenv("PANCAT_TEST_DB_USER"),
                System.getenv("PANCAT_TEST_DB_PASSWORD"));
        var rs = c.createStatement().executeQuery("SHOW server_version")) {
      rs.next();
      return "PostgreSQL " + rs.getString(1) + " (same machine)";
    }
  }

  /**
   * How a timed sync went: its seconds and, polled along the way, the entries applied so far, so
   * the rate once the node is warm (its JIT compilers busy for the first tens of thousands of
   * entries) is seen beside the whole run's.
   */
  private record Sync(double seconds, long applied, List<double[]> progress) {
    double rate() {
      return applied / seconds;
    }

    /** Entries per second from the first poll at half of the entries to the end. */
    double secondHalfRate() {
      for (double[] point : progress) {
        if (point[1] >= applied / 2.0) {
          return (applied - point[1]) / (seconds - point[0]);
        }
      }
      return Double.NaN;
    }
  }

  /**
   * Asks {@code node} to pull a and times it from the request until it answers (it does when the
   * pull is done), noting the entries applied twice a second; {@code done} must then hold of its
   * status of a. The harness shares the machine with the node, so it polls lightly: one token, the
   * JDK's HTTP client (REST Assured polling took 0.4 of the 2 cores).
   */
  private static Sync timedSync(FederatedNode node, String what, Predicate<JsonNode> done)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String bearer = "Bearer " + node.admin();
    String peers = node.process.baseUrl() + "/api/v1/federation/peers";
    HttpRequest status =
        HttpRequest.newBuilder(URI.create(peers)).header("Authorization", bearer).build();
    long before = statusOfA(http, status).path("applied").asLong();
    Instant start = Instant.now();
    CompletableFuture<HttpResponse<String>> sync =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(peers + "/a/sync"))
                .header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    List<double[]> progress = new ArrayList<>();
    while (true) {
      try {
        sync.get(500, TimeUnit.MILLISECONDS);
        break;
      } catch (TimeoutException stillPulling) {
        long applied = statusOfA(http, status).path("applied").asLong() - before;
        progress.add(new double[] {seconds(start), applied});
      }
      if (seconds(start) > 1800) {
        throw new AssertionError("timed out waiting for " + node.id + " to " + what);
      }
    }
    double seconds = seconds(start);
    JsonNode after = statusOfA(http, status);
    HttpResponse<String> answer = sync.get();
    if (answer.statusCode() != 200 || !done.test(after)) {
      throw new AssertionError(
          node.id
              + " did not "
              + what
              + ": "
              + answer.statusCode()
              + " "
              + answer.body()
              + FederatedNode.diagnostics(node));
    }
    return new Sync(seconds, after.path("applied").asLong() - before, progress);
  }

  private static boolean caughtUp(JsonNode status) {
    return status.path("cursor").asLong() > 0
        && status.path("cursor").asLong() == status.path("peerHead").asLong();
  }

  private static JsonNode statusOfA(HttpClient http, HttpRequest status) throws Exception {
    HttpResponse<String> response = http.send(status, HttpResponse.BodyHandlers.ofString());
    for (JsonNode peer : JSON.readTree(response.body()).path("items")) {
      if (peer.path("id").asText().equals("a")) {
        return peer;
      }
    }
    throw new IllegalStateException("no peer a in " + response.body());
  }

  /** Reads every page of the node's feed; returns the seconds it took. */
  private static double exportAll(FederatedNode node) throws Exception {
    String admin = node.admin();
    Instant start = Instant.now();
    long after = 0;
    while (true) {
      String jws = node.feedPage(admin, after);
      var payload = JSON.readTree(com.nimbusds.jose.JWSObject.parse(jws).getPayload().toBytes());
      long next = payload.path("next").asLong();
      if (next == after || payload.path("entries").isEmpty()) {
        break;
      }
      after = next;
    }
    return seconds(start);
  }

  /** What a bulk load wrote: its entries, and the software numbered from 0 so far. */
  private record Loaded(long entries, int tools) {}

  /**
   * Appends a's own changes for about {@code n} entries straight to its log (the facilities first
   * if it is empty), numbering software from {@code firstTool}.
   */
  private static Loaded load(Path db, int n, int firstTool) throws Exception {
    Random r = new Random(42);
    Instant now = Instant.now();
    long seq;
    try (Connection c =
        DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath(), "pancat", "pancat")) {
      c.setAutoCommit(false);
      try (PreparedStatement head =
              c.prepareStatement("SELECT last_seq FROM change_log_head WHERE id = 1");
          var rs = head.executeQuery()) {
        rs.next();
        seq = rs.getLong(1);
      }
      long first = seq;
      int tool = firstTool;
      try (PreparedStatement log =
          c.prepareStatement(
              "INSERT INTO change_log (seq, op, entity, entity_id, version, actor, at, body)"
                  + " VALUES (?, 'upsert', ?, ?, ?, 'bench', ?, ?)")) {
        for (String f : firstTool == 0 ? FACILITIES : new String[0]) {
          ObjectNode body = JSON.createObjectNode().put("id", f).put("name", f.toUpperCase());
          body.put("createdAt", now.toString()).put("updatedAt", now.toString());
          add(log, ++seq, "facility", f, null, now, body);
        }
        for (; seq - first < n; tool++) {
          int i = tool;
          String facility = FACILITIES[i % FACILITIES.length];
          String slug = "tool-" + i;
          String id = facility + "/" + slug;
          ObjectNode software =
              JSON.createObjectNode()
                  .put("id", id)
                  .put("facility", facility)
                  .put("slug", slug)
                  .put("name", "Tool " + i)
                  .put("description", "Analysis tool " + i + " for tomography and scattering")
                  .put("licence", r.nextInt(10) == 0 ? "GPL-3.0-or-later" : "MIT");
          software
              .putArray("techniques")
              .add(
                  PANET
                      + SearchBenchmark.DEMO_TECHNIQUES[
                          r.nextInt(SearchBenchmark.DEMO_TECHNIQUES.length)]);
          software.putArray("keywords").add("bench");
          software.put("createdAt", now.toString()).put("createdBy", "bench");
          software.put("updatedAt", now.toString()).put("updatedBy", "bench");
          add(log, ++seq, "software", id, null, now, software);
          ObjectNode release = JSON.createObjectNode().put("software", id).put("version", "1.0");
          release.put("publishedAt", now.toString()).put("publishedBy", "bench");
          add(log, ++seq, "release", id, "1.0", now, release);
          int artifacts = 1 + r.nextInt(3);
          for (int k = 0; k < artifacts; k++) {
            String reference = "registry." + facility + ".example/pan/" + slug + ":1.0-" + k;
            String artifactId =
                CanonicalJson.sha256(id + "@1.0\noci-image\n" + reference).substring(0, 24);
            ObjectNode doc =
                JSON.createObjectNode()
                    .put("kind", "oci-image")
                    .put("reference", reference)
                    .put("digest", "sha256:" + CanonicalJson.sha256(reference));
            doc.putArray("platforms")
                .addObject()
                .put("os", "linux")
                .put("arch", r.nextInt(4) == 0 ? "arm64" : "amd64");
            ObjectNode sharing = doc.putObject("sharing");
            if (r.nextInt(10) == 0) {
              sharing
                  .put("class", "restricted")
                  .putObject("conditions")
                  .putArray("groups")
                  .add("staff");
            } else {
              sharing.put("class", "open");
            }
            ObjectNode record =
                JSON.createObjectNode()
                    .put("id", artifactId)
                    .put("software", id)
                    .put("version", "1.0");
            record.set("artifact", doc);
            add(log, ++seq, "artifact", artifactId, "1.0", now, record);
          }
          if (i % 1000 == 999) {
            log.executeBatch();
            c.commit();
          }
        }
        log.executeBatch();
      }
      try (PreparedStatement head =
          c.prepareStatement("UPDATE change_log_head SET last_seq = ? WHERE id = 1")) {
        head.setLong(1, seq);
        head.executeUpdate();
      }
      c.commit();
      return new Loaded(seq - first, tool);
    }
  }

  private static void add(
      PreparedStatement log,
      long seq,
      String entity,
      String id,
      String version,
      Instant at,
      ObjectNode body)
      throws Exception {
    log.setLong(1, seq);
    log.setString(2, entity);
    log.setString(3, id);
    log.setString(4, version);
    log.setTimestamp(5, Timestamp.from(at));
    log.setString(6, JSON.writeValueAsString(body));
    log.addBatch();
  }

  private static double seconds(Instant since) {
    return Duration.between(since, Instant.now()).toMillis() / 1000.0;
  }
}
