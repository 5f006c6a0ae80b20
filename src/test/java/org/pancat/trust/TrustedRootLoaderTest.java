package org.pancat.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A trusted root that leaves out when a key or authority became valid, or a log's key, is refused
 * with the field's path (sigstore-java alone would read the start as 1970 and the key as empty).
 */
class TrustedRootLoaderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theShippedRootLoadsAndListsTheRekorV2LogAndTheTimestampAuthority() {
    var root = SignatureVerifier.trustedRoot(null);
    assertTrue(
        root.getTLogs().stream()
            .anyMatch(l -> l.getBaseUrl().getHost().equals("log2025-1.rekor.sigstore.dev")));
    assertFalse(root.getTSAs().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "tlogs[0].publicKey.validFor.start, /tlogs/0/publicKey/validFor, start",
    "tlogs[1].publicKey.validFor.start, /tlogs/1/publicKey, validFor",
    "tlogs[0].publicKey, /tlogs/0, publicKey",
    "tlogs[1].publicKey.rawBytes, /tlogs/1/publicKey, rawBytes",
    "tlogs[0].logId.keyId, /tlogs/0/logId, keyId",
    "tlogs[0].baseUrl, /tlogs/0, baseUrl",
    "ctlogs[1].publicKey.validFor.start, /ctlogs/1/publicKey/validFor, start",
    "ctlogs[0].publicKey, /ctlogs/0, publicKey",
    "certificateAuthorities[1].validFor.start, /certificateAuthorities/1/validFor, start",
    "certificateAuthorities[0].certChain.certificates, /certificateAuthorities/0, certChain",
    "timestampAuthorities[0].validFor.start, /timestampAuthorities/0/validFor, start",
  })
  void aMissingFieldIsNamed(String field, String parent, String removed) throws IOException {
    Path file = write(root -> ((ObjectNode) root.at(parent)).remove(removed));
    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> SignatureVerifier.trustedRoot(file));
    assertEquals(
        "pancat.trust.trusted-root: " + field + " is missing (in " + file + ")",
        refused.getMessage());
  }

  @Test
  void aRootThatIsNotJsonOrNotATrustedRootIsRefused() throws IOException {
    Path notJson = dir.resolve("broken.json");
    Files.writeString(notJson, "{\"tlogs\": [");
    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> SignatureVerifier.trustedRoot(notJson));
    assertEquals("pancat.trust.trusted-root: " + notJson + " is not JSON", refused.getMessage());

    Path otherMediaType =
        write(root -> ((ObjectNode) root).put("mediaType", "application/json;version=9"));
    refused =
        assertThrows(
            IllegalStateException.class, () -> SignatureVerifier.trustedRoot(otherMediaType));
    assertTrue(refused.getMessage().contains("is not a readable Sigstore trusted_root.json"));

    Path missing = dir.resolve("absent.json");
    refused =
        assertThrows(IllegalStateException.class, () -> SignatureVerifier.trustedRoot(missing));
    assertTrue(refused.getMessage().endsWith("cannot be read"), refused.getMessage());
  }

  private Path write(Consumer<JsonNode> change) throws IOException {
    JsonNode root;
    try (InputStream in = getClass().getResourceAsStream("/trust/trusted_root.json")) {
      root = MAPPER.readTree(in);
    }
    change.accept(root);
    Path file = dir.resolve("trusted_root.json");
    Files.writeString(file, MAPPER.writeValueAsString(root));
    return file;
  }
}
