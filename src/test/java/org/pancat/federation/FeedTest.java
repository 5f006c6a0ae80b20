package org.pancat.federation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.anonymous;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.changeHead;

import com.nimbusds.jose.jwk.JWKSet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pancat.support.Api;
import org.pancat.support.Tokens;

/** The signed change feed over HTTP: verifiable with the published keys, redacted, peers only. */
@QuarkusTest
class FeedTest {
  private static final String PEER = Tokens.peer("desy");

  private static JWKSet jwks() throws Exception {
    return JWKSet.parse(
        given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString());
  }

  private static String page(long after, int limit) {
    return as(PEER)
        .queryParam("after", after)
        .queryParam("limit", limit)
        .get("/api/v1/federation/changes")
        .then()
        .statusCode(200)
        .contentType("application/jose")
        .extract()
        .asString();
  }

  @Test
  void theNodeDescribesItselfAndItsKeys() throws Exception {
    JsonPath node =
        given().get("/.well-known/pancat-node").then().statusCode(200).extract().jsonPath();
    assertEquals("test-node", node.getString("id"));
    assertTrue(node.getString("feed").endsWith("/api/v1/federation/changes"));
    assertEquals(
        NodeKeys.fingerprint(jwks().getKeys().get(0)), node.getString("keys[0].fingerprint"));
    assertFalse(jwks().getKeys().get(0).isPrivate(), "only public keys are published");
  }

  @Test
  void pagesVerifyWithThePublishedKeysAndFollowTheCursor() throws Exception {
    JWKSet keys = jwks();
    String pin = NodeKeys.fingerprint(keys.getKeys().get(0));
    long head = changeHead();
    FeedPage first =
        FeedVerifier.verify(
            page(0, 50), "test-node", Set.of(pin), id -> id.equals("test-node") ? keys : null, 0);
    assertEquals(0, first.after());
    assertTrue(first.next() > 0 && first.next() <= first.head());
    assertTrue(first.head() >= head);
    FeedPage second =
        FeedVerifier.verify(
            page(first.next(), 50), "test-node", Set.of(pin), id -> keys, first.next());
    assertTrue(second.entries().isEmpty() || second.entries().get(0).seq() > first.next());
    // every entry carries the origin and its signature
    first.entries().forEach(e -> assertEquals("test-node", e.origin()));

    // the same page replayed for a later cursor is refused
    String replayed = page(0, 50);
    FeedRejected replay =
        assertThrows(
            FeedRejected.class,
            () ->
                FeedVerifier.verify(replayed, "test-node", Set.of(pin), id -> keys, first.next()));
    assertTrue(replay.getMessage().contains("replayed or rolled back"));
    // a pin that does not match refuses the page
    assertThrows(
        FeedRejected.class,
        () -> FeedVerifier.verify(replayed, "test-node", Set.of("sha256:00"), id -> keys, 0));
  }

  @Test
  void nonShareableReferencesNeverLeaveAndRestrictedOnesCarryTheirConditions() {
    String slug = Api.uniqueSlug("fed");
    String base = "/api/v1/software/esrf/" + slug;
    String publisher = Tokens.publisher("esrf");
    as(publisher).body(Api.software("Fed " + slug, "MIT")).put(base).then().statusCode(201);
    as(publisher).body(Map.of()).put(base + "/releases/1.0").then().statusCode(201);
    long before = changeHead();
    String hidden = "registry.esrf.fr/internal/" + slug + ":1.0";
    as(publisher)
        .body(Api.image(hidden, Api.sha256('4'), "non-shareable"))
        .post(base + "/releases/1.0/artifacts")
        .then()
        .statusCode(201);
    String feed = decodedPayloads(page(before, 100));
    assertFalse(feed.contains(hidden), "a non-shareable reference is in the feed");
    assertTrue(feed.contains("the reference never leaves its home node"));
  }

  @Test
  void onlyPeersAndAdminsReadTheFeed() {
    anonymous().get("/api/v1/federation/changes").then().statusCode(401);
    as(Tokens.publisher("esrf")).get("/api/v1/federation/changes").then().statusCode(403);
    as(Tokens.user("someone", "esrf", List.of()))
        .get("/api/v1/federation/changes")
        .then()
        .statusCode(403);
    as(Tokens.admin()).get("/api/v1/federation/changes").then().statusCode(200);
    as(PEER).queryParam("limit", 0).get("/api/v1/federation/changes").then().statusCode(400);
    as(PEER).queryParam("after", -1).get("/api/v1/federation/changes").then().statusCode(400);
    as(PEER).post("/api/v1/federation/keys/rotate").then().statusCode(403);
    anonymous()
        .post("/api/v1/federation/keys/rotate")
        .then()
        .statusCode(401)
        .body("type", equalTo("/problems/unauthorized"));
  }

  /** The page payload and every entry's origin-signed payload, decoded, as one text. */
  private static String decodedPayloads(String compact) {
    try {
      var jws = com.nimbusds.jose.JWSObject.parse(compact);
      return jws.getPayload().toString();
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }
}
