package org.pancat.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.pancat.support.Axe;
import org.pancat.support.Browser;
import org.pancat.support.KeycloakServer;
import org.pancat.support.NodeProcess;

/**
 * Signing in to the pages with a facility account: a real Keycloak (its server distribution) as the
 * facility's OpenID provider, the packaged node configured with it as a trusted issuer and a
 * sign-in provider, and Chromium going through the provider's login form. The session maps the same
 * claims as the provider's bearer tokens do, and is the same principal.
 */
class WebSignInIT {
  /** The demo catalogue's XDS: a vendor download that needs its licence accepted. */
  private static final String XDS = "/software/pan-community/xds";

  private static final String XDS_REFERENCE = "vendor:xds";

  @TempDir static Path dir;
  private static NodeProcess node;
  private static KeycloakServer provider;

  @BeforeAll
  static void providerAndNode() throws Exception {
    node = new NodeProcess(dir.resolve("node"), Map.of());
    provider = KeycloakServer.start(List.of(node.baseUrl() + "/*"));
    Path config = node.home().resolve("config");
    Files.createDirectories(config);
    Files.writeString(
        config.resolve("application.properties"),
        String.join(
            "\n",
            "pancat.access.issuers.pan.issuer=" + provider.issuer(),
            "pancat.access.issuers.pan.jwks-url=" + provider.jwksUrl(),
            "pancat.access.issuers.pan.audience=" + KeycloakServer.AUDIENCE,
            "pancat.web.sign-in.pan.label=PaN account",
            "pancat.web.sign-in.pan.client-id=" + provider.webClientId(),
            "pancat.web.sign-in.pan.client-secret=" + provider.webClientSecret(),
            ""));
    node.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (provider != null) {
      provider.close();
    }
  }

  private static void signIn(Browser browser, String user) {
    browser.driver().findElement(By.linkText("Sign in")).click();
    browser.waitFor(By.linkText("PaN account"));
    browser.driver().findElement(By.linkText("PaN account")).click();
    browser.waitFor(By.id("username"));
    String authorize = browser.driver().getCurrentUrl();
    assertTrue(authorize.startsWith(provider.issuer()), authorize);
    assertTrue(authorize.contains("code_challenge_method=S256"), "PKCE: " + authorize);
    assertTrue(authorize.contains("code_challenge="), authorize);
    assertTrue(authorize.contains("nonce="), authorize);
    browser.driver().findElement(By.id("username")).sendKeys(user);
    browser.driver().findElement(By.id("password")).sendKeys(provider.password(user));
    browser.driver().findElement(By.id("kc-login")).click();
    await(browser, By.cssSelector(".who"));
  }

  /** Waits for the element, or fails saying where the browser is and what the node logged. */
  private static void await(Browser browser, By element) {
    try {
      browser.waitFor(element);
    } catch (org.openqa.selenium.TimeoutException e) {
      String log;
      try {
        log = node.log();
      } catch (java.io.IOException unreadable) {
        log = "(node log unreadable)";
      }
      throw new AssertionError(
          "no "
              + element
              + " at "
              + browser.driver().getCurrentUrl()
              + "\n"
              + browser.source()
              + "\nnode log:\n"
              + log.substring(Math.max(0, log.length() - 4000)),
          e);
    }
  }

  @Test
  void signInWithTheFacilityAccountThenAcceptTheLicenceThenSignOut() {
    try (Browser browser = Browser.start()) {
      browser.open(node.baseUrl() + XDS);
      assertFalse(browser.source().contains(XDS_REFERENCE));
      signIn(browser, "alice");
      assertEquals(node.baseUrl() + XDS, browser.driver().getCurrentUrl());
      assertTrue(
          browser.source().contains("Signed in as <strong>alice (esrf)</strong>"),
          "the facility claim of the ID token, read with the issuer's claim names");
      Cookie session = browser.driver().manage().getCookieNamed("q_session_signin-pan");
      assertNotNull(session, "Quarkus OIDC's session cookie of the provider's tenant");
      assertTrue(session.isSecure() && session.isHttpOnly(), session.toString());
      assertEquals("Lax", session.getSameSite());
      assertFalse(browser.source().contains(XDS_REFERENCE), "signed in but not yet accepted");
      Axe.assertNoSeriousViolations(browser, "a software page after a provider sign-in");

      browser
          .driver()
          .findElement(By.xpath("//button[starts-with(., 'Accept the licence')]"))
          .click();
      await(browser, By.xpath("//code[.='" + XDS_REFERENCE + "']"));

      // the same person through the API with the provider's bearer token: one principal
      given()
          .baseUri(node.baseUrl())
          .header("Authorization", "Bearer " + provider.accessToken("alice"))
          .get("/api/v1/me")
          .then()
          .statusCode(200)
          .body("facility", equalTo("esrf"))
          .body("groups", hasItem("esrf-staff"))
          .body("acceptances.licence", hasItem("LicenseRef-XDS-DECTRIS-Terms"));
      // and the page session is no key to the API
      given()
          .baseUri(node.baseUrl())
          .cookie(session.getName(), session.getValue())
          .get("/api/v1/me")
          .then()
          .body("authenticated", equalTo(false));

      browser.driver().findElement(By.xpath("//button[.='Sign out']")).click();
      await(browser, By.cssSelector(".signin"));
      assertTrue(browser.driver().getCurrentUrl().startsWith(node.baseUrl()));
      assertEquals(null, browser.driver().manage().getCookieNamed("q_session_signin-pan"));
      browser.open(node.baseUrl() + XDS);
      assertFalse(browser.source().contains(XDS_REFERENCE), "signed out");
      browser.driver().findElement(By.linkText("Sign in")).click();
      browser.driver().findElement(By.linkText("PaN account")).click();
      browser.waitFor(By.id("username"));
      assertTrue(
          browser.driver().findElements(By.id("password")).size() == 1,
          "the provider's session ended too: it asks for the password again");
    }
  }

  @Test
  void aSessionTooLargeForOneCookieStillSignsIn() {
    try (Browser browser = Browser.start()) {
      browser.open(node.baseUrl() + "/");
      signIn(browser, "gus");
      assertTrue(
          browser.driver().manage().getCookieNamed("q_session_signin-pan_chunk_1") != null,
          "150 groups make the session span several cookies: "
              + browser.driver().manage().getCookies());
      browser.open(node.baseUrl() + XDS);
      assertTrue(browser.source().contains("Signed in as <strong>gus (esrf)</strong>"));
    }
  }

  @Test
  void rolesComeFromTheProviderClaims() {
    try (Browser browser = Browser.start()) {
      browser.open(node.baseUrl() + "/operator");
      assertTrue(browser.source().contains("to see this page"));
      signIn(browser, "bob");
      browser.open(node.baseUrl() + "/operator");
      assertTrue(browser.source().contains("<h1>Not allowed</h1>"), "bob is no admin");
    }
    try (Browser browser = Browser.start()) {
      browser.open(node.baseUrl() + "/");
      signIn(browser, "ada");
      browser.open(node.baseUrl() + "/operator");
      browser.waitFor(By.id("peers-h"));
      Axe.assertNoSeriousViolations(browser, "the operator page");
    }
  }

  @Test
  void aReachableNodeRefusesToStartWithTheDevelopmentSignIn() throws Exception {
    try (NodeProcess reachable =
        new NodeProcess(
            Files.createDirectories(dir.resolve("reachable")),
            Map.of("PANCAT_ACCESS_DEV_ISSUER_SIGN_IN", "true", "QUARKUS_HTTP_HOST", "0.0.0.0"))) {
      IllegalStateException refused = assertThrows(IllegalStateException.class, reachable::start);
      assertTrue(
          refused.getMessage().contains("runs only on a node bound to loopback"),
          refused.getMessage());
    }
  }

  @Test
  void anUnknownProviderAndAForgedSessionCookieSignNobodyIn() {
    given().baseUri(node.baseUrl()).get("/signin/nope").then().statusCode(404);
    given()
        .baseUri(node.baseUrl())
        .cookie("q_session_signin-pan", "forged.cookie.value")
        .redirects()
        .follow(false)
        .get("/operator")
        .then()
        .statusCode(org.hamcrest.Matchers.not(200));
    // a public page with a session cookie that does not decrypt: anonymous, not an error
    io.restassured.response.Response page =
        given()
            .baseUri(node.baseUrl())
            .cookie("q_session_signin-pan", "forged.cookie.value")
            .redirects()
            .follow(false)
            .get("/");
    assertEquals(200, page.statusCode(), page.headers().toString());
    assertTrue(page.asString().contains(">Sign in</a>"), "anonymous");
    assertTrue(
        page.headers().getValues("Set-Cookie").stream()
            .anyMatch(c -> c.startsWith("q_session_signin-pan=") && c.contains("Max-Age=0")),
        "the unreadable cookie is removed: " + page.headers());
  }
}
