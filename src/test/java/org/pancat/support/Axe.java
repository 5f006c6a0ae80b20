package org.pancat.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The axe-core accessibility engine (vendored in {@code src/test/resources/axe}, see its README)
 * run in the page a {@link Browser} shows, with axe's default rules: WCAG 2.0, 2.1 and 2.2 A and
 * AA, plus best practices.
 */
public final class Axe {
  /**
   * A rule the page breaks: its id (such as {@code image-alt}), impact (minor, moderate, serious or
   * critical), help text, and a CSS selector for each offending element (into iframes {@code " |
   * "}, into shadow roots {@code " >>> "}).
   */
  public record Violation(String id, String impact, String help, List<String> targets) {}

  private static final String SOURCE = load("/axe/axe.min.js");
  private static final Set<String> SERIOUS = Set.of("serious", "critical");

  /** The version of axe-core vendored, from its header. */
  public static final String VERSION = version(SOURCE);

  // a node's target lists a selector for each frame, a selector list for each shadow root
  private static final String RUN =
      """
      const done = arguments[arguments.length - 1];
      const selector = (target) =>
        target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : part)).join(' | ');
      axe
        .run(document, { resultTypes: ['violations'] })
        .then((results) =>
          done({
            violations: results.violations.map((v) => ({
              id: v.id,
              impact: v.impact || '',
              help: v.help,
              targets: v.nodes.map((node) => selector(node.target)),
            })),
          }),
        )
        .catch((error) => done({ error: String(error && error.stack ? error.stack : error) }));
      """;

  private Axe() {}

  /** Runs axe in the current page (injected once per page) and returns its violations. */
  @SuppressWarnings("unchecked")
  public static List<Violation> run(Browser browser) {
    if (!Boolean.TRUE.equals(browser.script("return typeof window.axe === 'object';"))) {
      browser.script(SOURCE);
    }
    Object answer = browser.asyncScript(RUN);
    if (!(answer instanceof Map<?, ?> result) || result.containsKey("error")) {
      throw new IllegalStateException(
          "axe-core did not run in " + browser.driver().getCurrentUrl() + ": " + answer);
    }
    return ((List<Map<String, Object>>) result.get("violations"))
        .stream()
            .map(
                v ->
                    new Violation(
                        (String) v.get("id"),
                        (String) v.get("impact"),
                        (String) v.get("help"),
                        List.copyOf((List<String>) v.get("targets"))))
            .toList();
  }

  /**
   * Fails, listing each rule with its help text and the CSS selectors of the offending elements,
   * when axe finds a serious or critical violation in the current page.
   */
  public static void assertNoSeriousViolations(Browser browser, String pageName) {
    List<Violation> serious =
        run(browser).stream().filter(v -> SERIOUS.contains(v.impact())).toList();
    if (serious.isEmpty()) {
      return;
    }
    String report =
        serious.stream()
            .map(
                v ->
                    "- "
                        + v.id()
                        + " ("
                        + v.impact()
                        + "): "
                        + v.help()
                        + v.targets().stream().map(t -> "\n    " + t).collect(Collectors.joining()))
            .collect(Collectors.joining("\n"));
    throw new AssertionError(
        serious.size()
            + " serious or critical accessibility violation(s) (axe-core "
            + VERSION
            + ") on "
            + pageName
            + " ("
            + browser.driver().getCurrentUrl()
            + "):\n"
            + report);
  }

  private static String version(String source) {
    Matcher header = Pattern.compile("^/\\*! axe v(\\S+)").matcher(source);
    return header.lookingAt() ? header.group(1) : "unknown";
  }

  private static String load(String resource) {
    try (InputStream in = Axe.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
