package org.pancat.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.sha256;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pancat.support.Api;
import org.pancat.support.Tokens;
import org.pancat.support.WebSession;

/**
 * The pages over plain HTTP: what each shows to whom, the licence flow, the forms' protection
 * against forgery, and the development sign-in's limits. The browser tests drive the same pages in
 * Chromium.
 */
@QuarkusTest
class WebPagesTest {
  private static final String ESRF = Tokens.publisher("esrf");
  private static final String ADMIN = Tokens.admin();
  private static final String SAXS = "http://purl.org/pan-science/PaNET/PaNET01188";
  private static final String SCATTERING = "http://purl.org/pan-science/PaNET/PaNET01124";

  private String slug;
  private String licence;
  private String reference;

  /** Software with an open image and a licence-gated one, the way a facility registers them. */
  @BeforeEach
  void restrictedSoftware() {
    slug = uniqueSlug("webpage");
    licence = "LicenseRef-Web-" + slug;
    reference = "registry.esrf.fr/gated/" + slug;
    as(ADMIN)
        .body(Map.of("title", "Gated EULA", "version", "3", "text", "Academic use only."))
        .put("/api/v1/licences/" + licence)
        .then()
        .statusCode(201);
    String base = "/api/v1/software/esrf/" + slug;
    as(ESRF).body(Api.software("Gated tool " + slug, "MIT")).put(base).then().statusCode(201);
    as(ESRF).body(Map.of()).put(base + "/releases/2.0").then().statusCode(201);
    as(ESRF)
        .body(Api.image("registry.esrf.fr/open/" + slug, sha256('a')))
        .post(base + "/releases/2.0/artifacts")
        .then()
        .statusCode(201);
    as(ESRF)
        .body(Api.licensedImage(reference, sha256('b'), licence))
        .post(base + "/releases/2.0/artifacts")
        .then()
        .statusCode(201);
  }

  private String page() {
    return "/software/esrf/" + slug;
  }

  @Test
  void searchPageAnswersWithHitsFacetsAndWhyEachMatched() {
    given()
        .queryParam("q", "SAXS " + slug)
        .get("/")
        .then()
        .statusCode(200)
        .contentType(startsWith("text/html"))
        .header("Content-Security-Policy", containsString("default-src 'none'"))
        .header("Cache-Control", "private, no-store")
        .body(containsString("Gated tool " + slug))
        .body(containsString("the text names small angle x-ray scattering"))
        .body(containsString("<summary>Technique</summary>"));
  }

  @Test
  void theWholeCatalogueIsPagedAndThePagesLoadNothingFromElsewhere() {
    String html = given().get("/").then().statusCode(200).extract().asString();
    assertTrue(html.contains("aria-label=\"Result pages\""), "more than a page of software");
    assertTrue(html.contains("href=\"/?page=2\""), html);
    given().get("/?page=2").then().statusCode(200).body(containsString("aria-current=\"page\">2<"));
    for (String external : List.of("src=\"http", "src=\"//", "rel=\"stylesheet\" href=\"http")) {
      assertFalse(html.contains(external), "no CDN, no external font or script: " + external);
    }
  }

  @Test
  void broaderTechniqueFindsSoftwareOfItsNarrowerTerms() {
    String html =
        given()
            .queryParam("technique", SCATTERING)
            .queryParam("q", slug)
            .get("/")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertTrue(html.contains("Gated tool " + slug), "SAXS software under small angle scattering");
    assertTrue(html.contains("narrower of small angle scattering"), html);
  }

  @Test
  void anAmbiguousTermAsksWhichMeaningIsMeant() {
    String html = given().get("/?q=EM").then().statusCode(200).extract().asString();
    assertTrue(
        html.contains("“EM” can mean several things"),
        html.substring(
            html.indexOf("<main"), Math.min(html.length(), html.indexOf("<main") + 3000)));
    assertTrue(html.contains(">electron microscopy</a>"));
    assertTrue(html.contains(">expectation maximisation</a>"));
    // as a technique filter "EM" has one meaning in the technique scheme
    given()
        .get("/?technique=EM")
        .then()
        .statusCode(200)
        .body(containsString("Technique: electron microscopy"));
    String unknown =
        given().get("/?technique=no-such-technique").then().statusCode(200).extract().asString();
    assertTrue(unknown.contains("There is no technique called"), unknown);
    given().get("/?trust=maybe").then().statusCode(200).body(containsString("class=\"problem\""));
  }

  @Test
  void facetLinksAreShareableStates() {
    String html =
        given()
            .queryParam("technique", SAXS)
            .queryParam("facility", "esrf")
            .get("/")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertTrue(html.contains("Facility: esrf"), "the active filter is shown with a way out");
    assertTrue(html.contains("aria-label=\"Remove filter Facility: esrf\""));
    given().get("/?page=0").then().statusCode(200).body(containsString("class=\"problem\""));
  }

  @Test
  void softwarePageShowsTheOpenReferenceAndWithholdsTheGatedOne() {
    String anonymous = given().get(page()).then().statusCode(200).extract().asString();
    assertTrue(anonymous.contains("registry.esrf.fr/open/" + slug + "@" + sha256('a')));
    assertFalse(anonymous.contains(reference), "no restricted reference in the page source");
    assertTrue(anonymous.contains("Licence terms: Gated EULA, version 3"));
    assertTrue(
        anonymous.contains("to accept the licence"), "anonymous readers are asked to sign in");
    assertTrue(anonymous.contains("/concepts?iri="), "techniques link to their concept pages");
    given()
        .get("/software/esrf/no-such-" + slug)
        .then()
        .statusCode(404)
        .body(containsString("Not found"));
  }

  @Test
  void licenceFlowDeniedThenAcceptedThenReferenceShown() {
    WebSession bob = WebSession.signedIn("bob-" + slug, "desy");
    String before = bob.get(page()).then().statusCode(200).extract().asString();
    assertFalse(before.contains(reference), "denied before acceptance");
    assertTrue(before.contains("Accept the licence Gated EULA"));

    bob.postWithoutToken("/licences/" + licence + "/accept", Map.of("version", "3", "next", page()))
        .then()
        .statusCode(403);
    assertFalse(bob.get(page()).asString().contains(reference), "a forged form changed nothing");

    bob.post("/licences/" + licence + "/accept", Map.of("version", "3", "next", page()))
        .then()
        .statusCode(303)
        .header("Location", startsWith("http"))
        .header("Location", containsString(page()));
    String after = bob.get(page()).then().statusCode(200).extract().asString();
    assertTrue(after.contains(reference + "@" + sha256('b')), "the pinned reference once accepted");

    // the same acceptance through the API: one record of it, not two
    as(Tokens.dev("bob-" + slug, "desy", List.of(), List.of(), java.time.Duration.ofMinutes(5)))
        .get("/api/v1/me")
        .then()
        .body("acceptances.findAll { it.licence == '" + licence + "' }.size()", equalTo(1));
  }

  @Test
  void aFormTokenOfOneSessionDoesNotWorkInAnother() {
    WebSession alice = WebSession.signedIn("alice-" + slug, "esrf");
    WebSession mallory = WebSession.signedIn("mallory-" + slug, "esrf");
    mallory.get(page());
    String malloryToken = mallory.token();
    alice.get(page());
    alice
        .request()
        .header("Sec-Fetch-Site", "same-origin")
        .formParams(Map.of("csrf", malloryToken, "version", "3", "next", page()))
        .post("/licences/" + licence + "/accept")
        .then()
        .statusCode(403);
    alice
        .request()
        .header("Sec-Fetch-Site", "cross-site")
        .formParams(Map.of("csrf", alice.token(), "version", "3", "next", page()))
        .post("/licences/" + licence + "/accept")
        .then()
        .statusCode(403)
        .body(containsString("sent from another site"));
    alice
        .request()
        .header("Origin", "https://evil.example")
        .formParams(Map.of("csrf", alice.token(), "version", "3", "next", page()))
        .post("/licences/" + licence + "/accept")
        .then()
        .statusCode(403);
    assertFalse(alice.get(page()).asString().contains(reference));
  }

  @Test
  void anonymousCannotAcceptAndNextCannotLeaveTheSite() {
    WebSession anonymous = new WebSession();
    anonymous.get("/signin");
    anonymous
        .post("/licences/" + licence + "/accept", Map.of("version", "3", "next", page()))
        .then()
        .statusCode(401)
        .body(containsString("Sign in"));
    WebSession carol = WebSession.signedIn("carol-" + slug, "esrf");
    carol.get(page());
    for (String next :
        List.of("//evil.example/x", "https://evil.example/", "/\\evil.example", "/a|b%zz#x#y")) {
      carol
          .post("/licences/" + licence + "/accept", Map.of("version", "3", "next", next))
          .then()
          .statusCode(303)
          .header("Location", not(containsString("evil.example")));
    }
  }

  @Test
  void devSignInSetsAHardenedCookieAndRefusesProxiedOrForgedRequests() {
    WebSession s = new WebSession();
    s.get("/signin").then().statusCode(200).body(containsString("Development sign-in"));
    Response signedIn =
        s.post(
            "/signin/dev",
            Map.of(
                "code", WebSession.devSignInCode(),
                "subject", "dora",
                "facility", "esrf",
                "next", "/"));
    signedIn.then().statusCode(303);
    String cookie =
        signedIn.headers().getValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("__Host-pancat-dev-session="))
            .findFirst()
            .orElseThrow();
    assertTrue(cookie.contains("Secure") && cookie.contains("HttpOnly"), cookie);
    assertTrue(cookie.contains("SameSite=Lax"), cookie);
    s.get("/").then().body(containsString("Signed in as <strong>dora (esrf)"));

    WebSession other = new WebSession();
    other.get("/signin");
    other
        .request()
        .header("X-Forwarded-For", "203.0.113.9")
        .header("Sec-Fetch-Site", "same-origin")
        .formParams(
            Map.of(
                "csrf",
                other.token(),
                "code",
                WebSession.devSignInCode(),
                "subject",
                "eve",
                "next",
                "/"))
        .post("/signin/dev")
        .then()
        .statusCode(404);
    other
        .postWithoutToken("/signin/dev", Map.of("subject", "eve", "next", "/"))
        .then()
        .statusCode(403);
    other
        .post(
            "/signin/dev",
            Map.of("code", WebSession.devSignInCode(), "subject", "eve", "roles", "superuser"))
        .then()
        .statusCode(400);
    other
        .post("/signin/dev", Map.of("code", "not-the-code", "subject", "eve", "roles", "admin"))
        .then()
        .statusCode(403)
        .body(containsString("sign-in code"));
    other.post("/signin/dev", Map.of("subject", "eve", "roles", "admin")).then().statusCode(403);
    other
        .request()
        .header("Host", "rebound.example:8080")
        .header("Sec-Fetch-Site", "same-origin")
        .formParams(
            Map.of("csrf", other.token(), "code", WebSession.devSignInCode(), "subject", "eve"))
        .post("/signin/dev")
        .then()
        .statusCode(404);
    assertNull(other.cookie("__Host-pancat-dev-session"));
    given()
        .header("X-Forwarded-For", "203.0.113.9")
        .get("/signin")
        .then()
        .statusCode(200)
        .body(not(containsString("Development sign-in")));
  }

  @Test
  void theApiNeverTakesThePageSession() {
    WebSession s = WebSession.signedIn("erin-" + slug, "esrf", "admin");
    assertNotNull(s.cookie("__Host-pancat-dev-session"));
    s.request().get("/api/v1/me").then().statusCode(200).body("authenticated", equalTo(false));
    s.request().get("/api/v1/federation/peers").then().statusCode(401);
    // however the path is spelled: the session counts only on pages, by the resource routed to
    for (String api : List.of("/%61pi/v1/federation/peers", "/API/../api/v1/federation/peers")) {
      s.request().urlEncodingEnabled(false).get(api).then().statusCode(401);
    }
    s.request()
        .urlEncodingEnabled(false)
        .get("/%61pi/v1/me")
        .then()
        .statusCode(200)
        .body("authenticated", equalTo(false));
  }

  @Test
  void forgedOrExpiredSessionCookiesCountAsAnonymous() {
    WebSession s = WebSession.signedIn("fay-" + slug, "esrf", "admin");
    String session = s.cookie("__Host-pancat-dev-session");
    String forged = session.substring(0, session.length() - 4) + "AAAA";
    given().cookie("__Host-pancat-dev-session", forged).get("/operator").then().statusCode(401);
    given()
        .cookie("__Host-pancat-dev-session", Tokens.expiredPublisher("esrf"))
        .get("/")
        .then()
        .statusCode(200)
        .body(not(containsString("Signed in as")));
  }

  @Test
  void operatorPageIsForAdminsOnly() {
    given().get("/operator").then().statusCode(401).body(containsString("Sign in"));
    WebSession.signedIn("gus-" + slug, "esrf", "publisher").get("/operator").then().statusCode(403);
    WebSession.signedIn("hana-" + slug, "esrf", "admin")
        .get("/operator")
        .then()
        .statusCode(200)
        .body(containsString("Federation peers"))
        .body(containsString("Harvest sources"));
  }

  @Test
  void conceptPageShowsBroaderNarrowerAndSoftware() {
    String html =
        given()
            .queryParam("iri", SAXS)
            .get("/concepts")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertTrue(html.contains("<h1>small angle x-ray scattering</h1>"), html);
    assertTrue(html.contains(">small angle scattering</a>"), "broader");
    assertTrue(html.contains(">grazing incidence small angle x-ray scattering</a>"), "narrower");
    assertTrue(html.contains("Software for small angle x-ray scattering"));
    given().get("/concepts?iri=urn:nothing").then().statusCode(404);
    given().get("/concepts").then().statusCode(404);
  }

  @Test
  void launchPreviewShowsWhatResolveLaunchesAndWhyOthersWereRejected() {
    String resource = "docker-" + slug.replace('.', '-');
    as(ADMIN)
        .body(
            Map.of(
                "facility",
                "esrf",
                "description",
                "Docker host",
                "architectures",
                List.of("amd64"),
                "runtimes",
                List.of("docker")))
        .put("/api/v1/compute-resources/" + resource)
        .then()
        .statusCode(201);
    String html =
        given()
            .get(page() + "/launch?resource=" + resource)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertTrue(html.contains("registry.esrf.fr/open/" + slug + "@" + sha256('a')), html);
    assertTrue(html.contains("<li><code>docker</code></li>"), "argv, one argument per item");
    assertTrue(html.contains("Not chosen"), "the gated image is listed as rejected");
    assertFalse(html.contains(reference), "without its reference");
    assertEquals(
        404,
        given().get(page() + "/launch?resource=no-such-" + resource).statusCode(),
        "an unknown resource is a 404 page");
  }
}
