package org.pancat.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented example peers file reads as documented; a wrong one names its problem. */
class PeersFileTest {
  @TempDir Path dir;

  @Test
  void theExampleFileReadsWithItsImportPolicies() {
    PeersFile file = PeersFile.read(Path.of("federation-config/peers.example.yaml"), "esrf");
    assertEquals(List.of("desy", "psi", "ill"), file.peers().stream().map(p -> p.id()).toList());
    PeersFile.Peer desy = file.peers().get(0);
    assertEquals(List.of("desy", "psi"), desy.importPolicy().origins());
    assertFalse(desy.importPolicy().trustedOnly());
    PeersFile.Peer psi = file.peers().get(1);
    assertTrue(psi.importPolicy().trustedOnly());
    assertEquals(List.of("SAXS", "SANS", "tomography"), psi.importPolicy().techniques());
    assertFalse(file.peers().get(2).pull());
  }

  @Test
  void aMisspeltOrMistypedImportSettingStopsTheNodeWithTheReason() throws Exception {
    String peer =
        "peers:\n  - id: desy\n    baseUrl: https://pancat.desy.de\n    keys: [sha256:"
            + "a".repeat(64)
            + "]\n    import:\n";
    Path misspelt = Files.writeString(dir.resolve("a.yaml"), peer + "      trustedonly: true\n");
    IllegalStateException unknown =
        assertThrows(IllegalStateException.class, () -> PeersFile.read(misspelt, "esrf"));
    assertTrue(unknown.getMessage().contains("trustedonly"), unknown.getMessage());
    Path mistyped = Files.writeString(dir.resolve("b.yaml"), peer + "      trustedOnly: [x]\n");
    assertThrows(IllegalStateException.class, () -> PeersFile.read(mistyped, "esrf"));
  }
}
