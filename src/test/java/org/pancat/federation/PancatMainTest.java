package org.pancat.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keys init|show}: a node's identity made offline, before its first start. */
class PancatMainTest {
  private static final Pattern FINGERPRINT = Pattern.compile("fingerprint: (\\S+)");

  @TempDir Path dir;

  private record Run(int status, String out) {}

  private Run keys(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status =
        PancatMain.keys(
            List.of(args), Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return new Run(status, bytes.toString(StandardCharsets.UTF_8));
  }

  private static String fingerprint(Run run) {
    Matcher m = FINGERPRINT.matcher(run.out());
    assertTrue(m.find(), run.out());
    return m.group(1);
  }

  @Test
  void initMakesTheKeyTheNodeThenUsesAndPrintsItsFingerprint() {
    Path keyDir = dir.resolve("node-key");
    Run init = keys("init", "--key-dir", keyDir.toString(), "--node-id", "esrf");
    assertEquals(0, init.status(), init.out());
    assertTrue(init.out().contains("node id:     esrf"), init.out());
    assertTrue(init.out().contains("- id: esrf"), init.out());
    // the node, started later on that directory without a configured id, is that identity
    NodeKeys node = new NodeKeys(keyDir, null, Duration.ofDays(1), Clock.systemUTC());
    assertEquals("esrf", node.nodeId());
    assertEquals(fingerprint(init), NodeKeys.fingerprint(node.current()));
    // init again changes nothing; show prints the same
    assertEquals(fingerprint(init), fingerprint(keys("init", "--key-dir", keyDir.toString())));
    assertEquals(fingerprint(init), fingerprint(keys("show", "--key-dir", keyDir.toString())));
  }

  @Test
  void aKeyDirectoryOfAnotherNodeOrNoneAndBadUsageAreRefused() throws Exception {
    Path keyDir = dir.resolve("node-key");
    assertEquals(1, keys("show", "--key-dir", keyDir.toString()).status());
    assertTrue(Files.notExists(keyDir.resolve("keys.json")), "show creates nothing");
    assertEquals(0, keys("init", "--key-dir", keyDir.toString(), "--node-id", "esrf").status());
    Run other = keys("init", "--key-dir", keyDir.toString(), "--node-id", "desy");
    assertEquals(1, other.status());
    assertTrue(other.out().contains("belongs to node esrf"), other.out());
    assertEquals(2, keys().status());
    assertEquals(2, keys("rotate").status());
    assertEquals(
        2, keys("init", "--key-dir", dir.resolve("x").toString(), "--node-id", "../x").status());
    // a key made for a node whose id is configured, not kept: show still writes nothing
    Path configured = dir.resolve("configured");
    new NodeKeys(configured, "psi", Duration.ofDays(1), Clock.systemUTC());
    assertEquals(1, keys("show", "--key-dir", configured.toString()).status());
    assertTrue(Files.notExists(configured.resolve("node-id")), "show wrote a node id");
  }
}
