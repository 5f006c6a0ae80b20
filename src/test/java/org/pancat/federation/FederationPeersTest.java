package org.pancat.federation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.anonymous;
import static org.pancat.support.Api.as;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pancat.access.NodeAuthenticator;
import org.pancat.support.Api;
import org.pancat.support.Tokens;

/**
 * Peers as the in-process node sees them (src/test/resources/federation/peers.yaml): status and
 * sync for admins, notify only by a peer node's signed request, and the signed snapshot.
 */
@QuarkusTest
class FederationPeersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final NodeKeys PARTNER =
      new NodeKeys(
          Path.of("src/test/resources/federation/partner-key"),
          "partner",
          Duration.ofDays(365),
          Clock.systemUTC());

  /** A request signed as {@code keys}' node for this node, method and path. */
  static String signed(NodeKeys keys, String audience, String method, String path, long expIn)
      throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>();
    long now = Instant.now().getEpochSecond();
    claims.put("iss", keys.nodeId());
    claims.put("aud", audience);
    claims.put("htm", method);
    claims.put("htu", path);
    claims.put("iat", now);
    claims.put("exp", now + expIn);
    return NodeAuthenticator.SCHEME
        + " "
        + keys.sign(JSON.writeValueAsBytes(claims), PeerClient.REQUEST_TYPE, true);
  }

  @Test
  void adminsSeeEachPeerAndCanPullItNow() {
    anonymous().get("/api/v1/federation/peers").then().statusCode(401);
    as(Tokens.publisher("esrf")).get("/api/v1/federation/peers").then().statusCode(403);
    as(Tokens.admin())
        .get("/api/v1/federation/peers")
        .then()
        .statusCode(200)
        .body("items.id", equalTo(List.of("partner", "archive")))
        .body("items[0].pull", equalTo(true))
        .body("items[1].pull", equalTo(false))
        .body("total", equalTo(2));

    as(Tokens.user("someone", "esrf", List.of()))
        .post("/api/v1/federation/peers/partner/sync")
        .then()
        .statusCode(403);
    as(Tokens.admin())
        .post("/api/v1/federation/peers/nowhere/sync")
        .then()
        .statusCode(404)
        .body("type", equalTo("/problems/not-found"));
    // the partner never answers: the pull fails, the reason is on its status, nothing moves
    as(Tokens.admin())
        .post("/api/v1/federation/peers/partner/sync")
        .then()
        .statusCode(200)
        .body("id", equalTo("partner"))
        .body("cursor", equalTo(0))
        .body("lastErrorReason", containsString("unreachable"))
        .body("state", equalTo("unreachable"))
        .body("lastError", notNullValue());
  }

  /**
   * The running node picks up an edited peers file by itself (checked every second in tests) and on
   * demand; a broken one is refused with the reason and the running configuration stays.
   */
  @Test
  void anEditedPeersFileIsAppliedWithoutRestartAndABrokenOneIsRefused() throws Exception {
    Path file = Path.of("src/test/resources/federation/peers.yaml");
    String original = Files.readString(file);
    String admin = Tokens.admin();
    anonymous().post("/api/v1/federation/peers/reload").then().statusCode(401);
    as(Tokens.publisher("esrf")).post("/api/v1/federation/peers/reload").then().statusCode(403);
    as(Tokens.publisher("esrf")).get("/api/v1/federation/peers-file").then().statusCode(403);
    as(admin)
        .get("/api/v1/federation/peers-file")
        .then()
        .statusCode(200)
        .body("peers", equalTo(List.of("partner", "archive")))
        .body("error", nullValue());
    try {
      Files.writeString(
          file,
          original
              + "  - id: newcomer\n    baseUrl: http://127.0.0.1:9\n    pull: false\n"
              + "    keys: [sha256:"
              + "1".repeat(64)
              + "]\n");
      Instant deadline = Instant.now().plusSeconds(20);
      while (!peerIds().contains("newcomer")) {
        assertTrue(Instant.now().isBefore(deadline), "the edited peers file was not picked up");
        Thread.sleep(200);
      }
      Files.writeString(file, original + "  - id: Not A Node\n");
      as(admin)
          .post("/api/v1/federation/peers/reload")
          .then()
          .statusCode(422)
          .contentType("application/problem+json")
          .body("detail", containsString("running configuration stays"))
          .body("detail", containsString("Not A Node"));
      assertEquals(List.of("partner", "archive", "newcomer"), peerIds());
      as(admin)
          .get("/api/v1/federation/peers-file")
          .then()
          .body("peers", equalTo(List.of("partner", "archive", "newcomer")))
          .body("error", containsString("Not A Node"));
    } finally {
      Files.writeString(file, original);
      as(admin).post("/api/v1/federation/peers/reload").then().statusCode(200);
    }
    assertEquals(List.of("partner", "archive"), peerIds());
  }

  private static List<String> peerIds() {
    return as(Tokens.admin())
        .get("/api/v1/federation/peers")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items.id");
  }

  @Test
  void onlyAdminsListHeldArtifacts() {
    anonymous().get("/api/v1/federation/held").then().statusCode(401);
    as(Tokens.publisher("esrf")).get("/api/v1/federation/held").then().statusCode(403);
    as(Tokens.admin())
        .get("/api/v1/federation/held")
        .then()
        .statusCode(200)
        .body("total", equalTo(0))
        .body("page", equalTo(1));
    as(Tokens.admin())
        .queryParam("size", 1000)
        .get("/api/v1/federation/held")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  void onlyAPeerNodeSigningWithAPinnedKeyMayNotify() throws Exception {
    String path = "/api/v1/federation/notify";
    given()
        .header("Authorization", signed(PARTNER, "test-node", "POST", path, 60))
        .post(path)
        .then()
        .statusCode(202)
        .body("pull", equalTo("queued"));
    anonymous().post(path).then().statusCode(401);
    // a bearer token, even an admin's or a peer service account's, is not a node
    as(Tokens.admin()).post(path).then().statusCode(403);
    as(Tokens.peer("partner")).post(path).then().statusCode(403);

    NodeKeys impostor =
        new NodeKeys(
            Files.createTempDirectory("impostor"),
            "partner",
            Duration.ofDays(1),
            Clock.systemUTC());
    List<String> refused = new ArrayList<>();
    refused.add(signed(impostor, "test-node", "POST", path, 60)); // key not pinned
    refused.add(signed(PARTNER, "other-node", "POST", path, 60)); // addressed elsewhere
    refused.add(signed(PARTNER, "test-node", "GET", path, 60)); // another method
    refused.add(signed(PARTNER, "test-node", "POST", "/api/v1/federation/peers", 60));
    refused.add(signed(PARTNER, "test-node", "POST", path, -120)); // expired
    String valid = signed(PARTNER, "test-node", "POST", path, 60);
    refused.add(flip(valid.substring(NodeAuthenticator.SCHEME.length() + 1)));
    for (String header : refused) {
      given()
          .header("Authorization", header)
          .post(path)
          .then()
          .statusCode(401)
          .body("type", equalTo("/problems/unauthorized"));
    }
  }

  @Test
  void aPeerNodeReadsTheFeedWithASignedRequest() throws Exception {
    String path = "/api/v1/federation/changes?after=0&limit=5";
    given()
        .header("Authorization", signed(PARTNER, "test-node", "GET", path, 60))
        .get(path)
        .then()
        .statusCode(200)
        .contentType("application/jose");
    // the partner pulls from this node: it is notified of new changes from now on; archive is not
    as(Tokens.admin())
        .get("/api/v1/federation/peers")
        .then()
        .statusCode(200)
        .body("items.find { it.id == 'partner' }.pullsFromHere", equalTo(true))
        .body("items.find { it.id == 'archive' }.pullsFromHere", equalTo(false));
  }

  @Test
  void theSnapshotIsSignedCompactedAndWithoutNonShareableReferences() throws Exception {
    String slug = Api.uniqueSlug("snap");
    String base = "/api/v1/software/esrf/" + slug;
    String publisher = Tokens.publisher("esrf");
    as(publisher).body(Api.software("Snap " + slug, "MIT")).put(base).then().statusCode(201);
    // changed twice: the snapshot keeps only the latest
    as(publisher)
        .body(Api.software("Snap " + slug + " renamed", "MIT"))
        .put(base)
        .then()
        .statusCode(200);
    as(publisher).body(Map.of()).put(base + "/releases/1.0").then().statusCode(201);
    String hidden = "registry.esrf.fr/internal/" + slug + ":1.0";
    as(publisher)
        .body(Api.image(hidden, Api.sha256('5'), "non-shareable"))
        .post(base + "/releases/1.0/artifacts")
        .then()
        .statusCode(201);

    anonymous().get("/api/v1/federation/snapshot").then().statusCode(401);
    as(Tokens.user("someone", "esrf", List.of()))
        .get("/api/v1/federation/snapshot")
        .then()
        .statusCode(403);
    String text =
        as(Tokens.peer("desy"))
            .get("/api/v1/federation/snapshot")
            .then()
            .statusCode(200)
            .contentType("application/x-ndjson")
            .extract()
            .asString();
    JWKSet keys = JWKSet.parse(given().get("/.well-known/jwks.json").then().extract().asString());
    List<String> lines = Arrays.asList(text.split("\n"));
    FeedVerifier.Snapshot snapshot =
        FeedVerifier.verifySnapshot(lines, "test-node", Set.of(), id -> keys);
    List<FeedEntry> mine =
        snapshot.entries().stream()
            .filter(e -> e.entity().equals("software") && e.id().equals("esrf/" + slug))
            .toList();
    assertEquals(1, mine.size(), "one entry per key");
    assertEquals("Snap " + slug + " renamed", mine.get(0).body().path("name").asText());
    assertFalse(text.contains(hidden), "a non-shareable reference is in the snapshot");

    // a flipped byte in any entry line, or a dropped line, is refused
    List<String> tampered = new ArrayList<>(lines);
    int middle = lines.size() / 2;
    tampered.set(middle, lines.get(middle).replaceFirst("\"upsert\"", "\"tombstone\""));
    assertThrows(
        FeedRejected.class,
        () -> FeedVerifier.verifySnapshot(tampered, "test-node", Set.of(), id -> keys));
    List<String> truncated = new ArrayList<>(lines);
    truncated.remove(middle);
    FeedRejected dropped =
        assertThrows(
            FeedRejected.class,
            () -> FeedVerifier.verifySnapshot(truncated, "test-node", Set.of(), id -> keys));
    assertTrue(dropped.getMessage().contains("trailer"), dropped.getMessage());
  }

  /** The same compact JWS with one bit of its signature flipped. */
  private static String flip(String compact) {
    byte[] bytes = compact.getBytes(StandardCharsets.US_ASCII);
    int i = bytes.length - 5;
    bytes[i] = (byte) (bytes[i] == 'A' ? 'B' : 'A');
    return NodeAuthenticator.SCHEME + " " + new String(bytes, StandardCharsets.US_ASCII);
  }
}
