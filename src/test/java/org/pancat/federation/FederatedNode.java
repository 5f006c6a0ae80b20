package org.pancat.federation;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.pancat.kernel.CanonicalJson;
import org.pancat.support.Api;
import org.pancat.support.NodeProcess;

/**
 * A real node process for federation tests: its id and key are made before it first starts, so
 * peers files can pin it; it starts with no demo content and its own peers file.
 */
final class FederatedNode implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CanonicalJson CANONICAL = new CanonicalJson(JSON);

  /** The catalogue entities whose state must converge (judgements and evidence are per node). */
  static final Set<String> CONVERGING = Set.of("facility", "software", "release", "artifact");

  /** Every node of the running test by id, so relayed entries verify against their origin. */
  private static final Map<String, FederatedNode> NODES = new ConcurrentHashMap<>();

  final String id;
  final Path home;
  final NodeProcess process;
  final String fingerprint;

  FederatedNode(Path root, String id) throws Exception {
    this(root, id, false);
  }

  /**
   * @param keysByCommand make the node's identity as an operator does, with {@code java -jar
   *     quarkus-run.jar keys init} (else directly, faster)
   */
  FederatedNode(Path root, String id, boolean keysByCommand) throws Exception {
    this.id = id;
    this.home = Files.createDirectories(root.resolve(id));
    this.process =
        new NodeProcess(
            home,
            Map.of(
                "PANCAT_FEDERATION_NODE_ID",
                id,
                "PANCAT_FEDERATION_NODE_NAME",
                "node " + id,
                "PANCAT_FEDERATION_PEERS_FILE",
                home.resolve("peers.yaml").toString(),
                "PANCAT_CATALOGUE_DEMO_LOAD",
                "never"));
    process.env("PANCAT_FEDERATION_NODE_BASE_URL", process.baseUrl());
    if (keysByCommand) {
      String out = process.command("keys", "init", "--key-dir", "data/node-key", "--node-id", id);
      Matcher m = Pattern.compile("fingerprint: (\\S+)").matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("keys init printed no fingerprint:\n" + out);
      }
      this.fingerprint = m.group(1);
    } else {
      NodeKeys keys =
          new NodeKeys(home.resolve("data/node-key"), id, Duration.ofDays(365), Clock.systemUTC());
      this.fingerprint = NodeKeys.fingerprint(keys.current());
    }
    NODES.put(id, this);
  }

  /** The published keys of any node of the test, or null for one it does not know. */
  static JWKSet keysOf(String nodeId) {
    FederatedNode node = NODES.get(nodeId);
    try {
      return node == null ? null : node.jwks();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes this node's peers file (YAML list items, indented as under {@code peers:}). */
  void peers(String... entries) throws Exception {
    Files.writeString(home.resolve("peers.yaml"), "peers:\n" + String.join("", entries));
  }

  /** A peers-file entry for {@code peer}. */
  static String peer(FederatedNode peer, boolean pull, String extra) {
    return "  - id: "
        + peer.id
        + "\n    baseUrl: "
        + peer.process.baseUrl()
        + "\n    keys: ["
        + peer.fingerprint
        + "]\n    pull: "
        + pull
        + "\n    interval: PT2S\n"
        + extra;
  }

  String admin() {
    return process.devToken("it-admin", null, List.of("admin"));
  }

  String publisher(String facility) {
    return process.devToken("it-publisher", facility, List.of("publisher"));
  }

  String user(String subject) {
    return process.devToken(subject, null, List.of());
  }

  RequestSpecification as(String token) {
    return process.as(token);
  }

  RequestSpecification anonymous() {
    return given().baseUri(process.baseUrl()).contentType(ContentType.JSON);
  }

  /** Registers a facility, one software with a release and an open artifact. */
  String registerSoftware(String facility, String slug, char digestFill) {
    return registerSoftware(facility, slug, "sha256:" + String.valueOf(digestFill).repeat(64));
  }

  /** Registers open software with release 1.0 and an OCI image of {@code digest}; its id. */
  String registerSoftware(String facility, String slug, String digest) {
    String base = "/api/v1/software/" + facility + "/" + slug;
    String publisher = publisher(facility);
    as(publisher)
        .body(
            Map.of(
                "name",
                slug,
                "licence",
                "MIT",
                "techniques",
                List.of("SAXS"),
                "keywords",
                List.of("federation")))
        .put(base)
        .then()
        .statusCode(201);
    as(publisher).body(Map.of()).put(base + "/releases/1.0").then().statusCode(201);
    return as(publisher)
        .body(Api.image("registry." + facility + ".eu/apps/" + slug + ":1.0", digest, "open"))
        .post(base + "/releases/1.0/artifacts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  void registerFacility(String facility) {
    as(admin())
        .body(Map.of("name", facility.toUpperCase() + " facility", "nodeId", id))
        .put("/api/v1/facilities/" + facility)
        .then()
        .statusCode(201);
  }

  /** The snapshot, verified against this node's published keys. */
  FeedVerifier.Snapshot snapshot() throws Exception {
    String text =
        as(admin()).get("/api/v1/federation/snapshot").then().statusCode(200).extract().asString();
    return FeedVerifier.verifySnapshot(
        Arrays.asList(text.split("\n")), id, Set.of(fingerprint), FederatedNode::keysOf);
  }

  String snapshotText() {
    return as(admin())
        .get("/api/v1/federation/snapshot")
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  JWKSet jwks() throws Exception {
    return JWKSet.parse(
        given()
            .baseUri(process.baseUrl())
            .get("/.well-known/jwks.json")
            .then()
            .extract()
            .asString());
  }

  /**
   * The catalogue state to compare across nodes: (origin, entity, id, version, op, body digest) of
   * every converging entry, redacted (non-shareable, never imported) ones left out.
   */
  Set<String> state() throws Exception {
    return snapshot().entries().stream()
        .filter(e -> CONVERGING.contains(e.entity()))
        .filter(e -> !e.body().has("redacted"))
        .map(
            e ->
                String.join(
                    " ",
                    e.origin(),
                    e.entity(),
                    e.id(),
                    String.valueOf(e.version()),
                    e.op(),
                    CanonicalJson.sha256(CANONICAL.write(e.body()))))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** One page of the node's feed after {@code after}, as the signed JWS it serves (as admin). */
  String feedPage(String admin, long after) {
    return as(admin)
        .queryParam("after", after)
        .queryParam("limit", 1000)
        .get("/api/v1/federation/changes")
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  JsonPath status(String peer) {
    List<Map<String, Object>> all =
        as(admin()).get("/api/v1/federation/peers").then().statusCode(200).extract().path("items");
    Map<String, Object> one =
        all.stream().filter(m -> peer.equals(m.get("id"))).findFirst().orElseThrow();
    try {
      return new JsonPath(JSON.writeValueAsString(one));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  JsonPath sync(String peer) {
    return as(admin())
        .post("/api/v1/federation/peers/" + peer + "/sync")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** Peer statuses, state and federation log lines of each node: why they did not converge. */
  static String diagnostics(FederatedNode... nodes) {
    StringBuilder out = new StringBuilder();
    for (FederatedNode n : nodes) {
      out.append("\n--- node ").append(n.id).append('\n');
      try {
        out.append(n.as(n.admin()).get("/api/v1/federation/peers").then().extract().asString());
        out.append('\n').append(String.join("\n", n.state())).append('\n');
        n.process
            .log()
            .lines()
            .filter(l -> l.contains("federation") || l.contains("ERROR") || l.contains("WARN"))
            .forEach(l -> out.append(l).append('\n'));
      } catch (Exception e) {
        out.append("(unavailable: ").append(e.getMessage()).append(")\n");
      }
    }
    return out.toString();
  }

  static void await(
      String what, Duration timeout, BooleanSupplier condition, FederatedNode... nodes)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what + diagnostics(nodes));
      }
      Thread.sleep(200);
    }
  }

  @Override
  public void close() throws Exception {
    NODES.remove(id);
    process.close();
  }
}
