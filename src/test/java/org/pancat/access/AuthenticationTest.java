package org.pancat.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.changeHead;
import static org.pancat.support.Api.software;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pancat.support.PartnerIssuer;
import org.pancat.support.Tokens;

/** Bearer tokens: who may read, who may write, and every way a token can be wrong. */
@QuarkusTest
@QuarkusTestResource(PartnerIssuer.class)
class AuthenticationTest {

  @Test
  void anonymousMayRead() {
    given().get("/api/v1/software").then().statusCode(200);
    given().get("/api/v1/facilities").then().statusCode(200);
    given().get("/api/v1/me").then().statusCode(200).body("authenticated", equalTo(false));
  }

  @Test
  void meShowsTheVerifiedClaims() {
    as(Tokens.user("dana", "desy", List.of("saxs-users", "staff")))
        .get("/api/v1/me")
        .then()
        .statusCode(200)
        .body("authenticated", equalTo(true))
        .body("subject", equalTo("dana"))
        .body("issuer", equalTo("pancat-dev"))
        .body("facility", equalTo("desy"))
        .body("groups", equalTo(List.of("saxs-users", "staff")));
  }

  static Stream<Arguments> badTokens() {
    return Stream.of(
        Arguments.of("expired", Tokens.expiredPublisher("esrf"), "expired"),
        Arguments.of("forged", Tokens.forgedAdmin(), "signature"),
        Arguments.of("unknown issuer", Tokens.withIssuer("https://evil.example"), "issuer"),
        Arguments.of("wrong audience", Tokens.withAudience("someone-else"), "audience"),
        Arguments.of("not a JWT", "abc.def", "not a signed JWT"),
        Arguments.of("flipped signature byte", flipLast(Tokens.admin()), "signature"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTokens")
  void badTokensAre401AndWriteNothing(String name, String token, String reason) {
    long head = changeHead();
    as(token)
        .body(software("Should not exist", "MIT"))
        .put("/api/v1/software/esrf/" + uniqueSlug("denied"))
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", containsString("invalid_token"))
        .body("type", equalTo("/problems/unauthorized"))
        .body("detail", containsString(reason));
    // a bad token is refused on reads too, rather than silently treated as anonymous
    as(token).get("/api/v1/software").then().statusCode(401);
    assertEquals(head, changeHead());
  }

  @Test
  void basicAuthIsNotAccepted() {
    given()
        .header("Authorization", "Basic YWRtaW46YWRtaW4=")
        .get("/api/v1/me")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
  }

  @Test
  void issuerWithJwksUrlAndCustomClaimNames() {
    String token = PartnerIssuer.token("erin", "esrf", List.of("publisher"));
    as(token)
        .get("/api/v1/me")
        .then()
        .statusCode(200)
        .body("issuer", equalTo(PartnerIssuer.ISSUER))
        .body("facility", equalTo("esrf"))
        .body("roles", hasItem("publisher"))
        .body("groups", hasItem("partner-staff"));
    String slug = uniqueSlug("partner");
    as(token)
        .body(software("Partner tool", "BSD-3-Clause"))
        .put("/api/v1/software/esrf/" + slug)
        .then()
        .statusCode(201)
        .body("createdBy", equalTo(PartnerIssuer.ISSUER + "#erin"));
    as(token)
        .body(software("Partner tool", "BSD-3-Clause"))
        .put("/api/v1/software/desy/" + slug)
        .then()
        .statusCode(403);
    org.junit.jupiter.api.Assertions.assertTrue(PartnerIssuer.jwksFetches() >= 1);
  }

  @Test
  void changeLogIsAdminOnly() {
    given().get("/api/v1/changes").then().statusCode(401);
    as(Tokens.publisher("esrf"))
        .get("/api/v1/changes")
        .then()
        .statusCode(403)
        .body("type", equalTo("/problems/forbidden"));
    as(Tokens.admin())
        .queryParam("after", 0)
        .queryParam("limit", 2)
        .get("/api/v1/changes")
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(2))
        .body("next", equalTo(2));
    as(Tokens.admin()).queryParam("limit", 5000).get("/api/v1/changes").then().statusCode(400);
    as(Tokens.admin()).queryParam("after", -1).get("/api/v1/changes").then().statusCode(400);
  }

  @Test
  void writesNeedARole() {
    as(Tokens.user("frank", "esrf", List.of()))
        .body(Map.of("name", "x"))
        .put("/api/v1/facilities/esrf")
        .then()
        .statusCode(403);
  }

  private static String flipLast(String token) {
    char last = token.charAt(token.length() - 2);
    return token.substring(0, token.length() - 2)
        + (last == 'A' ? 'B' : 'A')
        + token.charAt(token.length() - 1);
  }
}
