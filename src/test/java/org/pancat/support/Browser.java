package org.pancat.support;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium for browser tests: Debian's {@code chromium} driven through its {@code
 * chromedriver} (apt packages chromium and chromium-driver) with Selenium. Both executables are
 * given explicitly, so Selenium Manager never looks for, or downloads, a driver or a browser.
 *
 * <p>The browser starts in the new headless mode with a 1280x900 window, English as its language
 * and no first-run UI; as root (as on the build machines) it needs {@code --no-sandbox}. It reaches
 * loopback only ({@code localhost}, 127.x.x.x, {@code [::1]}): any other host name or address fails
 * as not found ({@link #open} throws {@code net::ERR_NAME_NOT_RESOLVED}), so a page loads nothing
 * from outside, and Chromium's own background look-ups of Google hosts (accounts, extension and
 * component updates) go nowhere.
 *
 * <p>The viewport is set through the DevTools protocol (device metrics emulation, in the tab the
 * browser opened): 1280x900 at the start and after {@link #desktop}, 390x844 after {@link #phone}.
 * The new headless mode counts a toolbar in its window: the 1280x900 window alone would leave a
 * 1280x757 viewport.
 *
 * <p>DevTools commands go through {@link ChromeDriver#executeCdpCommand}. Selenium's typed DevTools
 * API ({@code getDevTools()}) is not available: Selenium ships no bindings for Chromium 156, and
 * the warning it logs about that at every start is silenced.
 *
 * <p>Close it to quit the browser and its driver (a JVM shutdown hook does so otherwise).
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Dimension DESKTOP = new Dimension(1280, 900);
  public static final Dimension PHONE = new Dimension(390, 844);
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration SCRIPT = Duration.ofSeconds(30);

  // held, so that the level set on it stays
  private static final Logger CDP_VERSION_FINDER =
      Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  private final ChromeDriver driver;
  private final Path profile;
  private final Thread shutdownHook;
  private Dimension viewport = DESKTOP;
  private boolean mobile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
    this.shutdownHook = new Thread(this::quit, "browser-quit");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts Debian's headless Chromium; fails (never skips) when it or its driver is missing. */
  public static Browser start() {
    return start(CHROMIUM, CHROMEDRIVER);
  }

  static Browser start(Path chromium, Path chromedriver) {
    for (Path executable : List.of(chromium, chromedriver)) {
      if (!Files.isExecutable(executable)) {
        throw new IllegalStateException(
            "browser tests need "
                + executable
                + ", from Debian's packages chromium and chromium-driver:"
                + " apt-get install chromium chromium-driver");
      }
    }
    // Belt and braces: were Selenium Manager ever run, it would not download anything.
    if (System.getProperty("SE_OFFLINE") == null) {
      System.setProperty("SE_OFFLINE", "true");
    }
    // a profile of its own, deleted on close: ChromeDriver's own is left in /tmp (Singleton* files)
    Path profile;
    try {
      profile = Files.createTempDirectory("pancat-browser");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile,
        "--window-size=" + DESKTOP.width + "," + DESKTOP.height,
        "--lang=en",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-search-engine-choice-screen",
        "--disable-background-networking",
        "--disable-component-update",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.*, EXCLUDE ::1");
    if (new UnixSystem().getUid() == 0) {
      options.addArguments("--no-sandbox");
    }
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en"));
    CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.toFile())
            .usingAnyFreePort()
            .withEnvironment(Map.of("LANGUAGE", "en"))
            .build();
    try {
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(SCRIPT).pageLoadTimeout(SCRIPT);
      Browser browser = new Browser(driver, profile);
      browser.desktop();
      return browser;
    } catch (RuntimeException e) {
      service.stop();
      delete(profile);
      throw e;
    }
  }

  /** The Selenium driver, for everything this class does not wrap. */
  public WebDriver driver() {
    return driver;
  }

  /** Loads {@code url} and waits (up to 30 s) for its load event. */
  public Browser open(String url) {
    driver.get(url);
    return this;
  }

  /** The current DOM as HTML (after scripts ran, not the bytes the server sent). */
  public String source() {
    return driver.getPageSource();
  }

  /** Runs {@code script} in the page ({@code arguments[i]} are {@code args}); returns its value. */
  public Object script(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /**
   * Runs {@code script} asynchronously: it ends by calling {@code arguments[arguments.length - 1]}
   * with its result, within 30 s.
   */
  public Object asyncScript(String script, Object... args) {
    return driver.executeAsyncScript(script, args);
  }

  /** A 1280x900 desktop viewport, the one the browser starts with. */
  public void desktop() {
    viewport(DESKTOP, false);
  }

  /**
   * A 390x844 phone viewport, laid out as a mobile browser does: the page's {@code <meta
   * name="viewport">} is honoured, so {@code width=device-width} gives {@code window.innerWidth}
   * 390, and a page without one is laid out 980 px wide and shrunk. The user agent and the pointer
   * stay a desktop's, the device pixel ratio 1. Holds across pages until {@link #desktop}.
   */
  public void phone() {
    viewport(PHONE, true);
  }

  private void viewport(Dimension size, boolean mobile) {
    this.viewport = size;
    this.mobile = mobile;
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of(
            "width", size.width, "height", size.height, "deviceScaleFactor", 1, "mobile", mobile));
  }

  /** Writes a PNG of the viewport to {@code file} (folders created); returns {@code file}. */
  public Path screenshot(Path file) {
    return write(file, driver.getScreenshotAs(OutputType.BYTES));
  }

  /**
   * Writes a PNG of the whole page to {@code file}: the viewport is made as tall as the page for
   * the shot (as wide as it is), then set back. Returns {@code file}.
   */
  @SuppressWarnings("unchecked")
  public Path fullPageScreenshot(Path file) {
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Number height = (Number) ((Map<String, Object>) metrics.get("cssContentSize")).get("height");
    Dimension shown = viewport;
    viewport(
        new Dimension(shown.width, Math.max(shown.height, (int) Math.ceil(height.doubleValue()))),
        mobile);
    try {
      return screenshot(file);
    } finally {
      viewport(shown, mobile);
    }
  }

  /** Waits up to 10 s for an element matching {@code by} to be visible. */
  public void waitFor(By by) {
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  @Override
  public void close() {
    try {
      quit();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs (or ran) anyway
      }
    }
  }

  private void quit() {
    try {
      driver.quit();
    } finally {
      delete(profile);
    }
  }

  private static void delete(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder left behind
    }
  }

  private static Path write(Path file, byte[] png) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return Files.write(file, png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
