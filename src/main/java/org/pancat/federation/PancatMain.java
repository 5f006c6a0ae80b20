package org.pancat.federation;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node's entry point. {@code java -jar quarkus-run.jar} starts the node; {@code java -jar
 * quarkus-run.jar keys init|show [--key-dir DIR] [--node-id ID]} creates (if missing) or reads the
 * node's identity offline, without starting the node or touching its database, and prints its id
 * and key fingerprint for the peers files of the nodes that will pull from it.
 */
@QuarkusMain
public final class PancatMain {
  private static final String DEFAULT_KEY_DIR = "./data/node-key";
  private static final Duration RETIRED_KEY_VALIDITY = Duration.ofDays(365);

  private PancatMain() {}

  public static void main(String... args) {
    if (args.length > 0 && args[0].equals("keys")) {
      System.exit(keys(List.of(args).subList(1, args.length), System.getenv(), System.out));
    }
    Quarkus.run(args);
  }

  /** Runs {@code keys ...}; returns the exit status. */
  static int keys(List<String> args, Map<String, String> env, PrintStream out) {
    String keyDir = env.getOrDefault("PANCAT_FEDERATION_NODE_KEY_DIR", DEFAULT_KEY_DIR);
    String nodeId = env.get("PANCAT_FEDERATION_NODE_ID");
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if ((arg.equals("--key-dir") || arg.equals("--node-id")) && i + 1 < args.size()) {
        if (arg.equals("--key-dir")) {
          keyDir = args.get(++i);
        } else {
          nodeId = args.get(++i);
        }
      } else {
        words.add(arg);
      }
    }
    if (words.size() != 1 || !(words.get(0).equals("init") || words.get(0).equals("show"))) {
      out.println(
          "usage: java -jar quarkus-run.jar keys init|show [--key-dir DIR] [--node-id ID]\n"
              + "  init  creates the node id and signing key in DIR unless they exist, and prints"
              + " them\n"
              + "  show  prints the node id and the current key's fingerprint\n"
              + "  DIR defaults to $PANCAT_FEDERATION_NODE_KEY_DIR or "
              + DEFAULT_KEY_DIR
              + "; ID to $PANCAT_FEDERATION_NODE_ID or one generated on init");
      return 2;
    }
    Path dir = Path.of(keyDir);
    boolean show = words.get(0).equals("show");
    if (show
        && !(Files.isRegularFile(dir.resolve("keys.json"))
            && (nodeId != null || Files.isRegularFile(dir.resolve("node-id"))))) {
      // show writes nothing: without a key, or an id, there is nothing to show yet
      out.println("no node key and id in " + dir.toAbsolutePath() + "; run keys init first");
      return 1;
    }
    if (nodeId != null && !PeersFile.isNodeId(nodeId)) {
      out.println("node id '" + nodeId + "' must be lower-case letters, digits and '-'");
      return 2;
    }
    NodeKeys keys;
    try {
      // the id is kept beside the key, so the node started later without the setting has it too
      Path idFile = dir.resolve("node-id");
      if (nodeId != null && Files.exists(idFile)) {
        String kept = Files.readString(idFile, StandardCharsets.UTF_8).strip();
        if (!kept.equals(nodeId)) {
          out.println("the key directory " + dir.toAbsolutePath() + " belongs to node " + kept);
          return 1;
        }
      } else if (nodeId != null && words.get(0).equals("init")) {
        Files.createDirectories(dir);
        Files.writeString(idFile, nodeId + "\n", StandardCharsets.UTF_8);
      }
      keys = new NodeKeys(dir, nodeId, RETIRED_KEY_VALIDITY, Clock.systemUTC());
    } catch (IOException | IllegalStateException e) {
      out.println("cannot use the key directory " + dir.toAbsolutePath() + ": " + e.getMessage());
      return 1;
    }
    String fingerprint = NodeKeys.fingerprint(keys.current());
    out.println("node id:     " + keys.nodeId());
    out.println("key dir:     " + dir.toAbsolutePath());
    out.println("fingerprint: " + fingerprint);
    out.println();
    out.println("On each node that pulls from this one, under peers: in its peers file:");
    out.println("  - id: " + keys.nodeId());
    out.println("    baseUrl: <the URL it reaches this node at>");
    out.println("    keys: [\"" + fingerprint + "\"]");
    return 0;
  }
}
