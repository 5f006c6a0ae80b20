package org.pancat.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.sha256;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.pancat.support.Api;
import org.pancat.support.Axe;
import org.pancat.support.Browser;
import org.pancat.support.Tokens;
import org.pancat.support.WebSession;

/**
 * The pages in a real headless Chromium: searching by acronym, by a broader technique, with facets
 * and through the ambiguity prompt, a software page, the development sign-in, the licence flow, the
 * launch preview and the operator page, each checked by axe-core; and at phone width. With {@code
 * -Dscreenshots.update=true} the README's screenshots are taken anew into docs/.
 */
@QuarkusTest
class WebBrowserTest {
  private static final String ESRF = Tokens.publisher("esrf");
  private static final String ADMIN = Tokens.admin();
  private static final String SAXS = "http://purl.org/pan-science/PaNET/PaNET01188";
  private static final String SCATTERING = "http://purl.org/pan-science/PaNET/PaNET01124";
  private static final Path SHOTS = Path.of("target", "screenshots");

  @TestHTTPResource("/")
  URL base;

  private static String slug;
  private static String gated;
  private static String resource;
  private Browser browser;

  @BeforeEach
  void softwareAndBrowser() {
    if (slug == null) {
      register(uniqueSlug("browser"));
    }
    browser = Browser.start();
  }

  /** A facility's software with an open image, a licence-gated one and an arm64-only one. */
  private static void register(String name) {
    slug = name;
    String licence = "LicenseRef-Browser-" + slug;
    gated = "registry.esrf.fr/gated/" + slug;
    resource = "gpu-" + slug.replace('.', '-');
    as(ADMIN)
        .body(
            Map.of(
                "title", "ESRF beamline software EULA",
                "version", "2",
                "text", "For academic research at ESRF beamlines only."))
        .put("/api/v1/licences/" + licence)
        .then()
        .statusCode(201);
    String sw = "/api/v1/software/esrf/" + slug;
    as(ESRF)
        .body(
            Map.of(
                "name",
                "SAXS pipeline " + slug,
                "licence",
                "MIT",
                "description",
                "Reduction and modelling of small-angle scattering data",
                "techniques",
                List.of(SAXS)))
        .put(sw)
        .then()
        .statusCode(201);
    as(ESRF).body(Map.of()).put(sw + "/releases/4.2").then().statusCode(201);
    as(ESRF)
        .body(Api.image("registry.esrf.fr/saxs/" + slug, sha256('c')))
        .post(sw + "/releases/4.2/artifacts")
        .then()
        .statusCode(201);
    as(ESRF)
        .body(Api.licensedImage(gated, sha256('d'), licence))
        .post(sw + "/releases/4.2/artifacts")
        .then()
        .statusCode(201);
    as(ADMIN)
        .body(
            Map.of(
                "facility",
                "esrf",
                "description",
                "GPU cluster",
                "architectures",
                List.of("amd64"),
                "runtimes",
                List.of("apptainer", "docker")))
        .put("/api/v1/compute-resources/" + resource)
        .then()
        .statusCode(201);
    as(ESRF)
        .body(
            Map.of(
                "kind",
                "oci-image",
                "reference",
                "registry.esrf.fr/saxs-arm/" + slug,
                "digest",
                sha256('e'),
                "platforms",
                List.of(Map.of("os", "linux", "arch", "arm64"))))
        .post(sw + "/releases/4.2/artifacts")
        .then()
        .statusCode(201);
  }

  @AfterEach
  void closeBrowser() {
    browser.close();
  }

  private String url(String path) {
    return base.toString().replaceAll("/$", "") + path;
  }

  private WebElement find(String css) {
    browser.waitFor(By.cssSelector(css));
    return browser.driver().findElement(By.cssSelector(css));
  }

  private String current() {
    return browser.driver().getCurrentUrl();
  }

  @Test
  void searchByAcronymWithSuggestionsThenFacetsThenSoftwarePage() {
    browser.open(url("/"));
    Axe.assertNoSeriousViolations(browser, "the empty search page");
    WebElement box = find("#q");
    box.sendKeys("SAXS");
    find("#suggestions li[role=option]");
    assertEquals("true", box.getAttribute("aria-expanded"));
    box.sendKeys(Keys.ARROW_DOWN, Keys.ENTER);
    browser.waitFor(By.cssSelector(".chips"));
    assertTrue(current().contains("technique="), current());
    assertTrue(browser.source().contains("Technique: small angle x-ray scattering"));
    Axe.assertNoSeriousViolations(browser, "the results of a technique search");

    find(".facets details a[href*='facility=esrf']").click();
    browser.waitFor(By.xpath("//ul[@class='chips']//a[contains(., 'Facility: esrf')]"));
    assertFalse(browser.source().contains(">ATSAS<"), "a pan-community entry is filtered out");
    shot("search.png");
    // a text search keeps the filters chosen so far
    box = find("#q");
    box.sendKeys(slug, Keys.ENTER);
    browser.waitFor(By.linkText("SAXS pipeline " + slug));
    assertTrue(current().contains("facility=esrf") && current().contains("technique="), current());

    browser.driver().findElement(By.linkText("SAXS pipeline " + slug)).click();
    browser.waitFor(By.cssSelector("article.software"));
    assertTrue(current().endsWith("/software/esrf/" + slug), current());
    Axe.assertNoSeriousViolations(browser, "a software page");
  }

  @Test
  void aBroaderTechniqueAndTheAmbiguityPrompt() {
    browser.open(url("/?technique=" + SCATTERING.replace(":", "%3A").replace("/", "%2F")));
    assertTrue(browser.source().contains("FreeSAS"));
    assertTrue(browser.source().contains("narrower of small angle scattering"));

    browser.open(url("/"));
    WebElement box = find("#q");
    box.sendKeys("EM", Keys.ENTER);
    find(".meanings");
    Axe.assertNoSeriousViolations(browser, "the ambiguity prompt");
    browser.driver().findElement(By.linkText("electron microscopy")).click();
    browser.waitFor(By.cssSelector(".chips"));
    assertTrue(current().contains("PaNET01145"), current());
    assertTrue(browser.source().contains("Technique: electron microscopy"));

    browser.open(url("/concepts?iri=" + SAXS.replace(":", "%3A").replace("/", "%2F")));
    find("h1");
    assertTrue(browser.source().contains(">small angle scattering</a>"));
    Axe.assertNoSeriousViolations(browser, "a concept page");
  }

  @Test
  void signInThenTheLicenceFlowThenALaunchPreview() {
    String page = url("/software/esrf/" + slug);
    browser.open(page);
    String before = browser.source();
    assertFalse(before.contains(gated), "no restricted reference before sign-in");
    browser.driver().findElement(By.linkText("Sign in")).click();
    find("#dev-subject");
    Axe.assertNoSeriousViolations(browser, "the sign-in page");
    browser.driver().findElement(By.id("dev-code")).sendKeys(WebSession.devSignInCode());
    WebElement subject = browser.driver().findElement(By.id("dev-subject"));
    subject.clear();
    subject.sendKeys("researcher-" + slug);
    browser.driver().findElement(By.cssSelector(".dev button[type=submit]")).click();
    find(".who");
    assertEquals(page, current(), "back on the page the sign-in started from");
    String denied = browser.source();
    assertFalse(denied.contains(gated), "no restricted reference before acceptance");
    assertTrue(denied.contains("requires acceptance of licence"));
    Axe.assertNoSeriousViolations(browser, "a software page with a restricted artifact");

    find(".restricted details summary").click();
    assertTrue(browser.source().contains("For academic research at ESRF beamlines only."));
    shot("software.png");
    browser
        .driver()
        .findElement(By.xpath("//button[starts-with(., 'Accept the licence')]"))
        .click();
    browser.waitFor(By.xpath("//code[contains(., '" + gated + "')]"));
    assertTrue(browser.source().contains(gated + "@" + sha256('d')), "pinned reference shown");

    browser.driver().findElement(By.linkText("Launch preview")).click();
    new Select(find("#resource")).selectByValue(resource);
    browser.driver().findElement(By.xpath("//button[.='Preview']")).click();
    find(".candidates");
    String launch = browser.source();
    assertTrue(
        launch.contains("registry.esrf.fr/saxs/" + slug + "@" + sha256('c'))
            || launch.contains(gated + "@" + sha256('d')),
        launch);
    assertTrue(launch.contains("<ol class=\"argv\">"), "argv, one argument per item");
    assertTrue(launch.contains("Not chosen"), "the arm64-only image is rejected, with why");
    assertFalse(launch.contains("registry.esrf.fr/saxs-arm/"), "rejected ones carry no reference");
    Axe.assertNoSeriousViolations(browser, "the launch preview");
    shot("launch.png");
  }

  @Test
  void operatorPageAndSignOutAtPhoneWidth() {
    browser.phone();
    browser.open(url("/signin?next=/operator"));
    WebElement subject = find("#dev-subject");
    browser.driver().findElement(By.id("dev-code")).sendKeys(WebSession.devSignInCode());
    subject.clear();
    subject.sendKeys("operator-" + slug);
    browser.driver().findElement(By.cssSelector("input[value=admin]")).click();
    browser.driver().findElement(By.cssSelector(".dev button[type=submit]")).click();
    find("#peers-h");
    Axe.assertNoSeriousViolations(browser, "the operator page at phone width");
    browser.open(url("/?q=SAXS"));
    find(".hits");
    Object overflow =
        browser.script("return document.documentElement.scrollWidth > window.innerWidth;");
    assertEquals(Boolean.FALSE, overflow, "no sideways scrolling at phone width");
    Axe.assertNoSeriousViolations(browser, "the results at phone width");

    browser.driver().findElement(By.xpath("//button[.='Sign out']")).click();
    find(".signin");
    browser.open(url("/operator"));
    assertTrue(browser.source().contains("Sign in</a> to see this page"));
    Axe.assertNoSeriousViolations(browser, "an error page");
  }

  @Test
  void keyboardReachesTheSkipLinkFirst() {
    browser.open(url("/"));
    browser.driver().findElement(By.tagName("body")).sendKeys(Keys.TAB);
    Object focused = browser.script("return document.activeElement.className;");
    assertEquals("skip", focused);
  }

  /** A screenshot into target/screenshots, and into docs/ when asked to update the README's. */
  private void shot(String name) {
    Path file = browser.fullPageScreenshot(SHOTS.resolve(name));
    if (Boolean.getBoolean("screenshots.update")) {
      try {
        Path docs = Path.of("docs", "screenshots", name);
        Files.createDirectories(docs.getParent());
        Files.copy(file, docs, StandardCopyOption.REPLACE_EXISTING);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
