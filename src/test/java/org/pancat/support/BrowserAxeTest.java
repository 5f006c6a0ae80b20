package org.pancat.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;

/** Browser and Axe against two small pages served on 127.0.0.1: one accessible, one not. */
class BrowserAxeTest {
  private static final String GOOD =
      """
      <!doctype html>
      <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Search the catalogue</title>
      </head>
      <body>
        <main>
          <h1>Search the catalogue</h1>
          <form action="/good" method="get">
            <label for="q">Search terms</label>
            <input id="q" name="q" type="search">
            <button type="submit">Search</button>
          </form>
          <p style="color: #222; background: #fff">Dark text on white is easy to read.</p>
        </main>
      </body>
      </html>
      """;

  private static final String BAD =
      """
      <!doctype html>
      <html lang="en">
      <head><meta charset="utf-8"><title>Bad page</title></head>
      <body>
        <main>
          <h1>Bad page</h1>
          <img id="logo" src="/pixel.png">
          <input id="nameless" type="text">
          <p id="faint" style="color: #ddd; background: #fff">Very light grey text on white.</p>
        </main>
      </body>
      </html>
      """;

  private static final String TALL =
      """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>Tall</title></head>
      <body style="margin: 0"><main><div style="height: 3000px">Tall page</div></main></body>
      </html>
      """;

  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  // a 1x1 PNG
  private static final byte[] PIXEL =
      java.util.Base64.getDecoder()
          .decode(
              "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

  private static HttpServer server;
  private static Browser browser;
  private static final List<LogRecord> seleniumManagerLog = new ArrayList<>();

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    Map<String, String> pages = Map.of("/good", GOOD, "/bad", BAD, "/tall", TALL);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          byte[] body =
              path.equals("/pixel.png")
                  ? PIXEL
                  : pages.getOrDefault(path, "").getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .set(
                  "Content-Type", path.endsWith(".png") ? "image/png" : "text/html; charset=utf-8");
          exchange.sendResponseHeaders(
              body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();

    // Selenium Manager would log (at FINE) before running its binary; it must not run at all
    Logger manager = Logger.getLogger("org.openqa.selenium.manager.SeleniumManager");
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            seleniumManagerLog.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Level level = manager.getLevel();
    manager.setLevel(Level.ALL);
    manager.addHandler(handler);
    try {
      browser = Browser.start();
    } finally {
      manager.removeHandler(handler);
      manager.setLevel(level);
    }
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  @AfterEach
  void desktopAgain() {
    browser.desktop();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void startsWithoutSeleniumManager() {
    assertEquals(List.of(), seleniumManagerLog.stream().map(LogRecord::getMessage).toList());
    assertEquals("en", browser.open(url("/good")).script("return navigator.language;").toString());
  }

  @Test
  void missingChromiumFailsNamingThePackages() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Browser.start(tmp.resolve("chromium"), Browser.CHROMEDRIVER));
    assertTrue(e.getMessage().contains("apt-get install chromium chromium-driver"), e.getMessage());
  }

  @Test
  void accessiblePageHasNoViolations() {
    browser.open(url("/good")).waitFor(By.id("q"));
    assertEquals(List.of(), Axe.run(browser));
    Axe.assertNoSeriousViolations(browser, "the good page");
  }

  @Test
  void inaccessiblePageFails() {
    browser.open(url("/bad")).waitFor(By.id("faint"));
    List<Axe.Violation> violations = Axe.run(browser);
    List<String> ids = violations.stream().map(Axe.Violation::id).toList();
    assertTrue(ids.containsAll(List.of("image-alt", "label", "color-contrast")), ids.toString());
    Axe.Violation contrast =
        violations.stream().filter(v -> v.id().equals("color-contrast")).findFirst().orElseThrow();
    assertEquals("serious", contrast.impact());
    assertEquals(List.of("#faint"), contrast.targets());

    AssertionError failure =
        assertThrows(
            AssertionError.class, () -> Axe.assertNoSeriousViolations(browser, "the bad page"));
    String message = failure.getMessage();
    assertEquals("4.14.1", Axe.VERSION);
    for (String expected :
        List.of(
            "the bad page",
            "axe-core 4.14.1",
            "image-alt (critical): Images must have alternative text\n    #logo",
            "label",
            "#nameless",
            "color-contrast (serious)",
            "#faint")) {
      assertTrue(message.contains(expected), message);
    }
  }

  @Test
  void phoneViewport() {
    browser.open(url("/good"));
    assertEquals(1280L, browser.script("return window.innerWidth;"));
    assertEquals(900L, browser.script("return window.innerHeight;"));
    browser.phone();
    assertEquals(390L, browser.script("return window.innerWidth;"));
    assertEquals(844L, browser.script("return window.innerHeight;"));
    browser.open(url("/good?again"));
    assertEquals(390L, browser.script("return window.innerWidth;"), "held across pages");
    browser.open(url("/bad"));
    assertEquals(980L, browser.script("return window.innerWidth;"), "no meta viewport");
    browser.desktop();
    assertEquals(1280L, browser.script("return window.innerWidth;"));
  }

  @Test
  void reachesLoopbackOnly() {
    String title =
        browser
            .open("http://localhost:" + server.getAddress().getPort() + "/good")
            .driver()
            .getTitle();
    assertEquals("Search the catalogue", title);
    WebDriverException outside =
        assertThrows(WebDriverException.class, () -> browser.open("http://192.0.2.1/"));
    assertTrue(outside.getMessage().contains("ERR_NAME_NOT_RESOLVED"), outside.getMessage());
  }

  @Test
  void screenshotsArePngs() throws IOException {
    browser.open(url("/tall"));
    Path viewport = browser.screenshot(tmp.resolve("shots/viewport.png"));
    assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(viewport), 8));
    BufferedImage image = ImageIO.read(viewport.toFile());
    assertEquals(1280, image.getWidth());

    assertEquals(900, image.getHeight());
    Object pageWidth = browser.script("return document.documentElement.clientWidth;");

    Path page = browser.fullPageScreenshot(tmp.resolve("page.png"));
    assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(page), 8));
    BufferedImage whole = ImageIO.read(page.toFile());
    assertEquals(1280, whole.getWidth());
    assertEquals(3000, whole.getHeight());
    assertEquals(900L, browser.script("return window.innerHeight;"), "viewport set back");
    assertEquals(
        pageWidth, browser.script("return document.documentElement.clientWidth;"), "scroll bar");

    browser.phone();
    BufferedImage phone = ImageIO.read(browser.screenshot(tmp.resolve("phone.png")).toFile());
    assertEquals(390, phone.getWidth());
    assertEquals(844, phone.getHeight());
  }
}
