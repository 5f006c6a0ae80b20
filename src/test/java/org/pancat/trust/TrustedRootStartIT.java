package org.pancat.trust;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pancat.support.NodeProcess;

/**
 * The packaged node refuses to start on a trusted root it cannot rely on, and says which field is
 * missing: the verifier is created at start, not at the first signature.
 */
class TrustedRootStartIT {
  @TempDir Path home;

  @Test
  void aTrustedRootWithoutALogKeyStartStopsTheNodeWithTheReason() throws Exception {
    ObjectNode root;
    try (InputStream in = getClass().getResourceAsStream("/trust/trusted_root.json")) {
      root = (ObjectNode) new ObjectMapper().readTree(in);
    }
    ((ObjectNode) root.get("tlogs").get(0).get("publicKey").get("validFor")).remove("start");
    Path file = home.resolve("trusted_root.json");
    Files.writeString(file, new ObjectMapper().writeValueAsString(root));

    try (NodeProcess node =
        new NodeProcess(home, Map.of("PANCAT_TRUST_TRUSTED_ROOT", file.toString()))) {
      IllegalStateException exited = assertThrows(IllegalStateException.class, node::start);
      assertTrue(exited.getMessage().startsWith("node exited during start"), exited.getMessage());
      assertNotEquals(0, node.exitCode(), "the node exits with a failure status");
      assertTrue(
          node.log()
              .contains("pancat.trust.trusted-root: tlogs[0].publicKey.validFor.start is missing"),
          node.log());
    }
  }
}
