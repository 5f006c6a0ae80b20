package org.pancat.federation;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pancat.support.Api;
import org.pancat.support.Signing;

/**
 * Real nodes (the packaged application, own ports and data directories) federating: a and b pull
 * each other and c; c pulls only b, knows a's key without pulling it, and its import policy for b
 * refuses b's own entries and is trusted-only (a's artifacts are held until c's own trust policy
 * trusts them). Everything converges, tombstones included; c holds a's entries relayed a→b→c,
 * verified against a's key; non-shareable references never leave their home. A fourth node joining
 * late starts from b's snapshot and then follows b's feed.
 */
class FederationIT {
  private static final Duration CONVERGENCE = Duration.ofSeconds(60);

  @TempDir Path root;

  @Test
  void threeNodesConvergeRelayAndApplyTheirOwnPolicies() throws Exception {
    try (FederatedNode a = new FederatedNode(root, "a");
        FederatedNode b = new FederatedNode(root, "b");
        FederatedNode c = new FederatedNode(root, "c");
        FederatedNode d = new FederatedNode(root, "d")) {
      a.peers(FederatedNode.peer(b, true, ""), FederatedNode.peer(c, true, ""));
      b.peers(
          FederatedNode.peer(a, true, ""),
          FederatedNode.peer(c, true, ""),
          FederatedNode.peer(d, false, ""));
      // d joins late, pulling only b: it starts from b's snapshot
      d.peers(
          FederatedNode.peer(a, false, ""),
          FederatedNode.peer(b, true, ""),
          FederatedNode.peer(c, false, ""));
      c.peers(
          FederatedNode.peer(a, false, ""),
          FederatedNode.peer(
              b, true, "    import:\n      origins: [a]\n      trustedOnly: true\n"));
      startAll(a, b, c);

      a.registerFacility("esrf");
      b.registerFacility("desy");
      c.registerFacility("psi");
      String pyfai = a.registerSoftware("esrf", "pyfai", '1');
      String signed = a.registerSoftware("esrf", "signed-tool", Signing.BUNDLE_DIGEST);
      String signedPath = "/api/v1/software/esrf/signed-tool/releases/1.0/artifacts/" + signed;
      a.as(a.publisher("esrf"))
          .body(Map.of("kind", "sigstore-bundle", "bundle", Signing.bundle("0.3")))
          .post(signedPath + "/signatures")
          .then()
          .statusCode(201);
      a.registerSoftware("esrf", "retired-tool", '2');
      b.registerSoftware("desy", "maxwell-tool", '3');
      c.registerSoftware("psi", "psi-tool", '4');
      String hidden = "registry.esrf.eu/internal/secret-tool:1.0";
      String nonShareable =
          a.as(a.publisher("esrf"))
              .body(Api.image(hidden, "sha256:" + "5".repeat(64), "non-shareable"))
              .post("/api/v1/software/esrf/pyfai/releases/1.0/artifacts")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
      a.as(a.publisher("esrf"))
          .queryParam("reason", "superseded")
          .delete("/api/v1/software/esrf/retired-tool")
          .then()
          .statusCode(200);

      // a and b converge to everything; c to everything but b's own entries
      FederatedNode.await(
          "a and b to converge",
          CONVERGENCE,
          () -> same(a, b) && originsOf(safeState(a)).equals(Set.of("a", "b", "c")),
          a,
          b,
          c);
      // b knows a's non-shareable artifact, without its reference, as usable at its home only
      FederatedNode.await(
          "b to know a's non-shareable artifact",
          CONVERGENCE,
          () ->
              b.anonymous()
                      .get("/api/v1/software/esrf/pyfai/releases/1.0/artifacts/" + nonShareable)
                      .statusCode()
                  == 200,
          a,
          b);
      for (String token : List.of(b.admin(), b.publisher("esrf"))) {
        b.as(token)
            .get("/api/v1/software/esrf/pyfai/releases/1.0/artifacts/" + nonShareable)
            .then()
            .statusCode(200)
            .body("sharing.class", equalTo("non-shareable"))
            .body("$", not(hasKey("reference")))
            .body("access.granted", equalTo(false))
            .body("access.reasons[0]", containsString("it can be used there"));
      }
      FederatedNode.await(
          "c to hold a's and its own entries",
          CONVERGENCE,
          () -> withoutOrigin(safeState(a), "b").equals(safeState(c)),
          a,
          b,
          c);
      Set<String> onC = c.state();
      assertEquals(Set.of("a", "c"), originsOf(onC), "c refuses origin b: " + onC);
      assertTrue(onC.stream().anyMatch(e -> e.contains(" tombstone ")), "tombstones converge");

      // c never pulls a: a's entries reached it through b, verified against a's key
      assertEquals(0, c.status("a").getLong("cursor"));
      assertTrue(c.status("b").getLong("applied") > 0);
      assertTrue(c.status("b").getLong("skipped") > 0, "b's own entries were left out");
      assertTrue(decodedEntries(b).stream().anyMatch(e -> e.origin().equals("a")));

      // the peer status as metrics: c has pulled b (a lag in seconds), never a (no lag yet)
      String metrics = c.anonymous().get("/q/metrics").then().statusCode(200).extract().asString();
      assertTrue(
          metrics
              .lines()
              .anyMatch(
                  l -> l.matches("pancat_federation_peer_lag_seconds\\{peer=\"b\"} \\d+\\.0")),
          metrics);
      assertTrue(metrics.contains("pancat_federation_peer_lag_seconds{peer=\"a\"} NaN"), metrics);
      assertTrue(
          metrics.contains("pancat_federation_peer_entries_behind{peer=\"b\"} 0.0"), metrics);

      // imported software is searchable (indexed beside the applier) and says where it came from
      FederatedNode.await(
          "b's search index to hold a's software",
          Duration.ofSeconds(10),
          () ->
              b.anonymous()
                  .queryParam("q", "pyfai")
                  .get("/api/v1/software")
                  .jsonPath()
                  .getList("items.id")
                  .contains("esrf/pyfai"),
          b);
      b.anonymous()
          .queryParam("q", "pyfai")
          .get("/api/v1/software")
          .then()
          .statusCode(200)
          .body("items.id", hasItem("esrf/pyfai"))
          .body("items.find { it.id == 'esrf/pyfai' }.origin", equalTo("a"));
      c.anonymous()
          .get("/api/v1/software/esrf/retired-tool")
          .then()
          .statusCode(200)
          .body("withdrawn.reason", equalTo("superseded"))
          .body("origin", equalTo("a"));
      // b judges a's artifact by its own policy (none for esrf here: untrusted), a's claim beside
      b.anonymous()
          .get("/api/v1/software/esrf/pyfai/releases/1.0/artifacts/" + pyfai)
          .then()
          .statusCode(200)
          .body("trust.class", equalTo("untrusted"));

      // c imports from b trusted-only: a's artifacts are held until c's own policy trusts them
      c.anonymous()
          .get("/api/v1/software/esrf/pyfai/releases/1.0/artifacts/" + pyfai)
          .then()
          .statusCode(404);
      c.anonymous().get(signedPath).then().statusCode(404);
      c.as(c.admin())
          .get("/api/v1/federation/held")
          .then()
          .statusCode(200)
          .body("items.id", hasItems(pyfai, signed))
          .body("items.trust.class", everyItem(equalTo("untrusted")))
          .body("items[0]", not(hasKey("reference")));
      c.anonymous()
          .get("/api/v1/software/esrf/signed-tool/releases/1.0")
          .then()
          .statusCode(200)
          .body("artifacts", empty());
      c.as(c.admin())
          .body(
              Map.of(
                  "signers",
                  List.of(
                      Map.of(
                          "identity", Signing.BUNDLE_IDENTITY, "issuer", Signing.BUNDLE_ISSUER))))
          .put("/api/v1/facilities/esrf/trust-policy")
          .then()
          .statusCode(201);
      c.anonymous().get(signedPath).then().statusCode(200).body("trust.class", equalTo("trusted"));
      // c's own judgement of a's artifact stays at c: its feed relays only a's own trust entries
      assertTrue(
          decodedEntries(c).stream()
              .filter(e -> e.entity().equals("trust"))
              .allMatch(e -> e.origin().equals("a")),
          "c exported its own judgement of an imported artifact");
      c.as(c.admin())
          .get("/api/v1/federation/held")
          .then()
          .body("items.id", hasItem(pyfai))
          .body("items.id", not(hasItem(signed)));
      c.anonymous()
          .get("/api/v1/software/esrf/pyfai/releases/1.0/artifacts/" + pyfai)
          .then()
          .statusCode(404);
      FederatedNode.await(
          "c's search index to hold the signed tool as trusted",
          Duration.ofSeconds(10),
          () ->
              c.anonymous()
                  .queryParam("trust", "trusted")
                  .get("/api/v1/software")
                  .jsonPath()
                  .getList("items.id")
                  .equals(List.of("esrf/signed-tool")),
          c);

      // an imported facility changes only at its origin
      b.as(b.publisher("esrf"))
          .body(Map.of("name", "hijack", "licence", "MIT"))
          .put("/api/v1/software/esrf/hijack")
          .then()
          .statusCode(409)
          .body("detail", containsString("node a"));

      // a late node starts from b's snapshot (software changed twice arrives once) and then
      // follows b's feed
      a.as(a.publisher("esrf"))
          .body(Map.of("name", "pyFAI", "licence", "MIT", "techniques", List.of("SAXS")))
          .put("/api/v1/software/esrf/pyfai")
          .then()
          .statusCode(200);
      FederatedNode.await("b to converge with a", CONVERGENCE, () -> same(a, b), a, b);
      d.process.start();
      FederatedNode.await("d to converge with b", CONVERGENCE, () -> same(b, d), b, d);
      JsonPath joined = d.status("b");
      assertTrue(joined.getLong("bootstrapSeq") > 0, joined.prettify());
      assertTrue(joined.getLong("cursor") >= joined.getLong("bootstrapSeq"));
      assertEquals(1, softwareEntries(d, "esrf/pyfai"), "compacted: the latest version only");
      assertEquals(2, softwareEntries(b, "esrf/pyfai"));
      b.registerSoftware("desy", "after-snapshot", '6');
      FederatedNode.await("d to follow b's feed", CONVERGENCE, () -> same(b, d), b, d);

      // no node's feed or snapshot carries the non-shareable reference
      for (FederatedNode node : List.of(a, b, c, d)) {
        assertFalse(node.snapshotText().contains(hidden), node.id + "'s snapshot");
        assertFalse(decoded(node.feedPage(node.admin(), 0)).contains(hidden), node.id + "'s feed");
      }
    }
  }

  static void startAll(FederatedNode... nodes) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(nodes.length);
    try {
      List<Future<Object>> started =
          pool.invokeAll(
              Arrays.stream(nodes).map(n -> (Callable<Object>) () -> n.process.start()).toList());
      for (Future<Object> f : started) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** How many software entries about {@code id} the node's log holds. */
  private static long softwareEntries(FederatedNode node, String id) {
    return decodedEntries(node).stream()
        .filter(e -> e.entity().equals("software") && e.id().equals(id))
        .count();
  }

  private static List<FeedEntry> decodedEntries(FederatedNode node) {
    try {
      return FeedVerifier.verify(
              node.feedPage(node.admin(), 0),
              node.id,
              Set.of(node.fingerprint),
              FederatedNode::keysOf,
              0)
          .entries();
    } catch (FeedRejected e) {
      throw new AssertionError(e);
    }
  }

  private static boolean same(FederatedNode x, FederatedNode y) {
    Set<String> a = safeState(x);
    return !a.isEmpty() && a.equals(safeState(y));
  }

  static Set<String> safeState(FederatedNode node) {
    try {
      return node.state();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> originsOf(Set<String> state) {
    Set<String> origins = new TreeSet<>();
    state.forEach(e -> origins.add(e.substring(0, e.indexOf(' '))));
    return origins;
  }

  private static Set<String> withoutOrigin(Set<String> state, String origin) {
    Set<String> kept = new TreeSet<>(state);
    kept.removeIf(e -> e.startsWith(origin + " "));
    return kept;
  }

  /** The page payload, base64url-decoded, and every origin signature payload within it. */
  static String decoded(String compact) throws Exception {
    return com.nimbusds.jose.JWSObject.parse(compact).getPayload().toString();
  }
}
