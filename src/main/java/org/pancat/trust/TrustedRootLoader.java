package org.pancat.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a Sigstore {@code trusted_root.json}. sigstore-java 2.0.0 takes a missing {@code
 * validFor.start} as 1970 and a missing key as empty bytes, which would silently widen trust; so
 * the JSON is checked first and such a root is refused with the field that is missing.
 */
final class TrustedRootLoader {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SETTING = "pancat.trust.trusted-root: ";

  private TrustedRootLoader() {}

  /** Reads {@code file}, or the shipped public-good root when it is null. */
  static SigstoreTrustedRoot load(Path file) {
    String source = file == null ? "the shipped trusted root" : file.toString();
    byte[] json;
    try (InputStream in =
        file == null
            ? TrustedRootLoader.class.getResourceAsStream("/trust/trusted_root.json")
            : Files.newInputStream(file)) {
      if (in == null) {
        throw new IOException("missing");
      }
      json = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(SETTING + source + " cannot be read", e);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(SETTING + source + " is not JSON");
    }
    String missing = firstMissingField(root);
    if (missing != null) {
      throw new IllegalStateException(SETTING + missing + " (in " + source + ")");
    }
    try {
      return SigstoreTrustedRoot.from(new ByteArrayInputStream(json));
    } catch (SigstoreConfigurationException | RuntimeException e) {
      throw new IllegalStateException(
          SETTING + source + " is not a readable Sigstore trusted_root.json", e);
    }
  }

  /** The first field the verifier cannot do without, as {@code "<path> is missing"}; or null. */
  static String firstMissingField(JsonNode root) {
    if (!root.isObject()) {
      return "the trusted root is not a JSON object";
    }
    for (String logs : new String[] {"tlogs", "ctlogs"}) {
      JsonNode list = field(root, logs);
      for (int i = 0; i < list.size(); i++) {
        String at = logs + "[" + i + "]";
        JsonNode log = list.get(i);
        JsonNode key = field(log, "publicKey", "public_key");
        if (!key.isObject()) {
          return at + ".publicKey is missing";
        }
        if (field(key, "rawBytes", "raw_bytes").asText("").isEmpty()) {
          return at + ".publicKey.rawBytes is missing";
        }
        if (missingStart(field(key, "validFor", "valid_for"))) {
          return at + ".publicKey.validFor.start is missing";
        }
        if (field(field(log, "logId", "log_id"), "keyId", "key_id").asText("").isEmpty()) {
          return at + ".logId.keyId is missing";
        }
        if (logs.equals("tlogs") && field(log, "baseUrl", "base_url").asText("").isEmpty()) {
          return at + ".baseUrl is missing"; // checkpoints are signed in its host's name
        }
      }
    }
    for (String authorities : new String[] {"certificateAuthorities", "certificate_authorities"}) {
      String missing = missingInAuthorities(root, authorities, "certificateAuthorities");
      if (missing != null) {
        return missing;
      }
    }
    for (String authorities : new String[] {"timestampAuthorities", "timestamp_authorities"}) {
      String missing = missingInAuthorities(root, authorities, "timestampAuthorities");
      if (missing != null) {
        return missing;
      }
    }
    return null;
  }

  private static String missingInAuthorities(JsonNode root, String name, String shown) {
    JsonNode list = root.path(name);
    for (int i = 0; i < list.size(); i++) {
      String at = shown + "[" + i + "]";
      JsonNode authority = list.get(i);
      if (missingStart(field(authority, "validFor", "valid_for"))) {
        return at + ".validFor.start is missing";
      }
      if (field(field(authority, "certChain", "cert_chain"), "certificates").isEmpty()) {
        return at + ".certChain.certificates is missing";
      }
    }
    return null;
  }

  private static boolean missingStart(JsonNode validFor) {
    return field(validFor, "start").asText("").isEmpty();
  }

  /** Proto JSON accepts both the camelCase and the original snake_case field names. */
  private static JsonNode field(JsonNode node, String... names) {
    for (String name : names) {
      JsonNode value = node.path(name);
      if (!value.isMissingNode() && !value.isNull()) {
        return value;
      }
    }
    return node.path(names[0]);
  }
}
