package org.pancat.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pancat.support.Signing;

/**
 * However a bundle is broken, the refusal is one of our sentences: no library message, class name,
 * index error, stack trace or dump of the bundle's bytes reaches a client.
 */
class MalformedBundleTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SignatureVerifier PRODUCTION =
      new SignatureVerifier(SignatureVerifier.trustedRoot(null), MAPPER, Clock.systemUTC());
  private static final String CONFORMANCE = "/trust/sigstore-conformance/bundle-verify/";

  private static final List<String> LIBRARY_WORDS =
      List.of(
          "Exception", "Error", "Index", "out of bounds", "null", "java.", "dev.sigstore", "\tat ");

  /** A run of hex or base64 this long is bundle data, not words. */
  private static final Pattern DUMP = Pattern.compile("[0-9A-Fa-f]{16,}|[A-Za-z0-9+/=]{40,}");

  /** A bundle to break, the artifact it signs and the verifier for its trusted root. */
  private record Sample(String name, String json, byte[] artifact, SignatureVerifier verifier) {}

  private static final Sample KEYLESS_V02 =
      new Sample(
          "keyless v0.2 (sigstore-java sample)",
          Signing.bundle("0.2").toString(),
          SigstoreFixturesTest.bytes(CONFORMANCE + "a.txt"),
          PRODUCTION);

  static List<Sample> samples() {
    byte[] a = SigstoreFixturesTest.bytes(CONFORMANCE + "a.txt");
    return List.of(
        KEYLESS_V02,
        new Sample(
            "dsse v0.3",
            SigstoreFixturesTest.text(
                CONFORMANCE + "happy-path-intoto-in-dsse-v3/bundle.sigstore.json"),
            a,
            PRODUCTION),
        new Sample(
            "rekor v2",
            SigstoreFixturesTest.text(CONFORMANCE + "rekor2-happy-path/bundle.sigstore.json"),
            a,
            verifierFor("rekor2-happy-path")),
        new Sample(
            "intoto 0.0.2",
            SigstoreFixturesTest.text(
                CONFORMANCE + "intoto-with-custom-trust-root/bundle.sigstore.json"),
            SigstoreFixturesTest.bytes(CONFORMANCE + "intoto-with-custom-trust-root/artifact"),
            verifierFor("intoto-with-custom-trust-root")));
  }

  static Stream<Arguments> namedBreakages() {
    Map<String, Consumer<ObjectNode>> breakages =
        Map.ofEntries(
            Map.entry("empty certificate chain", b -> chain(b).putArray("certificates")),
            Map.entry(
                "certificate that is not DER",
                b ->
                    ((ObjectNode) chain(b).get("certificates").get(0))
                        .put("rawBytes", "aGVsbG8gd29ybGQ=")),
            Map.entry(
                "signature not base64",
                b -> messageSignature(b).put("signature", "!!not-base64!!")),
            Map.entry("no verification material", b -> b.remove("verificationMaterial")),
            Map.entry("no message signature", b -> b.remove("messageSignature")),
            Map.entry("no media type", b -> b.remove("mediaType")),
            Map.entry("no tlog entries", b -> material(b).remove("tlogEntries")),
            Map.entry("tlog entries not a list", b -> material(b).put("tlogEntries", "x")),
            Map.entry("empty tlog entry", b -> material(b).putArray("tlogEntries").addObject()),
            Map.entry("no inclusion proof", b -> entry(b).remove("inclusionProof")),
            Map.entry("no checkpoint", b -> proof(b).remove("checkpoint")),
            Map.entry("no proof hashes", b -> proof(b).remove("hashes")),
            Map.entry("root hash too short", b -> proof(b).put("rootHash", "AAAA")),
            Map.entry("tree size zero", b -> proof(b).put("treeSize", "0")),
            Map.entry("log index huge", b -> proof(b).put("logIndex", "9223372036854775807")),
            Map.entry("no body", b -> entry(b).remove("canonicalizedBody")),
            Map.entry("body not JSON", b -> entry(b).put("canonicalizedBody", "aGVsbG8=")),
            Map.entry("body an empty object", b -> entry(b).put("canonicalizedBody", "e30=")),
            Map.entry("no log id", b -> entry(b).remove("logId")),
            Map.entry("integrated time not a number", b -> entry(b).put("integratedTime", "soon")),
            Map.entry("checkpoint without signature", b -> checkpoint(b, "origin\n1\nAAAA\n\n")),
            Map.entry("checkpoint garbage", b -> checkpoint(b, "\u2014\u2014\n\n\u2014 x !!!\n")),
            Map.entry("no SET", b -> entry(b).remove("inclusionPromise")),
            Map.entry("empty RFC 3161 timestamp", MalformedBundleTest::emptyTimestamp),
            Map.entry("RFC 3161 timestamp not DER", MalformedBundleTest::garbageTimestamp),
            Map.entry("message digest of unknown algorithm", MalformedBundleTest::unknownDigest),
            Map.entry("unknown field everywhere", b -> b.put("surprise", true)));
    return breakages.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("namedBreakages")
  void aBrokenBundleIsRefusedInOurWords(String breakage, Consumer<ObjectNode> change)
      throws IOException {
    ObjectNode bundle = (ObjectNode) MAPPER.readTree(KEYLESS_V02.json());
    change.accept(bundle);
    String detail = refusal(KEYLESS_V02, bundle.toString());
    if (breakage.equals("unknown field everywhere")) {
      assertEquals("verified", detail, "unknown fields are ignored");
      return;
    }
    assertOurWords(breakage, detail);
  }

  @Test
  void truncatedJsonIsRefusedInOurWords() {
    for (Sample sample : samples()) {
      String json = sample.json();
      for (int length = 0; length < json.length(); length += 89) {
        String detail = refusal(sample, json.substring(0, length));
        assertOurWords(sample.name() + " cut at " + length, detail);
        assertEquals(
            "the signature does not verify: the bundle is malformed (not Sigstore bundle JSON)",
            detail,
            "cut at " + length);
      }
    }
  }

  @Test
  void notABundleAtAllIsRefusedInOurWords() throws IOException {
    for (String json : List.of("", "null", "[]", "42", "\"x\"", "{}", "{\"mediaType\":7}")) {
      assertOurWords(json, refusal(KEYLESS_V02, json));
    }
    for (String json : List.of("null", "[]", "42", "{}")) {
      JsonNode node = MAPPER.readTree(json);
      try {
        PRODUCTION.verifyBundle(node, Signing.BUNDLE_DIGEST);
        fail("verified " + json);
      } catch (EvidenceRefused e) {
        assertOurWords(json, e.getMessage());
      }
    }
  }

  /**
   * Every field of each sample, removed or replaced by a value of another type: whatever comes out
   * is our sentence (or the bundle still verifies, when the field is not needed).
   */
  @Test
  void everyFieldRemovedOrRetypedIsRefusedInOurWords() throws IOException {
    List<Supplier<JsonNode>> replacements =
        List.of(
            () -> null, // removed
            JsonNodeFactory.instance::nullNode,
            () -> JsonNodeFactory.instance.textNode(""),
            () -> JsonNodeFactory.instance.textNode("%%"),
            () -> JsonNodeFactory.instance.numberNode(-1),
            JsonNodeFactory.instance::objectNode,
            JsonNodeFactory.instance::arrayNode);
    int refused = 0;
    for (Sample sample : samples()) {
      JsonNode original = MAPPER.readTree(sample.json());
      for (String pointer : pointers(original, "")) {
        for (Supplier<JsonNode> replacement : replacements) {
          JsonNode copy = original.deepCopy();
          replace(copy, pointer, replacement.get());
          String detail = refusal(sample, copy.toString());
          if (!detail.equals("verified")) {
            refused++;
            assertOurWords(sample.name() + " " + pointer, detail);
          }
        }
      }
    }
    assertTrue(refused > 500, "the mutations break bundles: " + refused);
  }

  private static String refusal(Sample sample, String json) {
    try {
      sample.verifier().verifyBundleJson(json, sample.artifact(), null);
      return "verified";
    } catch (EvidenceRefused e) {
      assertEquals(EvidenceRefused.Reason.DOES_NOT_VERIFY, e.reason());
      return e.getMessage();
    } catch (RuntimeException e) {
      fail("escaped as " + e.getClass().getName() + " for " + json.length() + " chars");
      return null;
    }
  }

  private static void assertOurWords(String what, String detail) {
    assertTrue(detail.startsWith("the signature does not verify: "), what + ": " + detail);
    assertFalse(detail.contains("\n"), what + ": " + detail);
    for (String word : LIBRARY_WORDS) {
      assertFalse(detail.contains(word), what + " shows library text: " + detail);
    }
    assertFalse(DUMP.matcher(detail).find(), what + " dumps data: " + detail);
  }

  private static List<String> pointers(JsonNode node, String at) {
    List<String> out = new ArrayList<>();
    if (!at.isEmpty()) {
      out.add(at);
    }
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(f -> out.addAll(pointers(node.get(f), at + "/" + f)));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        out.addAll(pointers(node.get(i), at + "/" + i));
      }
    }
    return out;
  }

  /** Sets (or, for a null replacement, removes) the value at a JSON pointer. */
  private static void replace(JsonNode root, String pointer, JsonNode value) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = root.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent instanceof ObjectNode object) {
      if (value == null) {
        object.remove(last);
      } else {
        object.set(last, value);
      }
    } else if (parent instanceof ArrayNode array) {
      int index = Integer.parseInt(last);
      if (value == null) {
        array.remove(index);
      } else {
        array.set(index, value);
      }
    }
  }

  private static SignatureVerifier verifierFor(String conformanceCase) {
    try {
      return new SignatureVerifier(
          SignatureVerifier.trustedRoot(
              java.nio.file.Path.of(
                  MalformedBundleTest.class
                      .getResource(CONFORMANCE + conformanceCase + "/trusted_root.json")
                      .toURI())),
          MAPPER,
          Clock.systemUTC());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode material(ObjectNode bundle) {
    return (ObjectNode) bundle.get("verificationMaterial");
  }

  private static ObjectNode chain(ObjectNode bundle) {
    return (ObjectNode) material(bundle).get("x509CertificateChain");
  }

  private static ObjectNode messageSignature(ObjectNode bundle) {
    return (ObjectNode) bundle.get("messageSignature");
  }

  private static ObjectNode entry(ObjectNode bundle) {
    return (ObjectNode) material(bundle).get("tlogEntries").get(0);
  }

  private static ObjectNode proof(ObjectNode bundle) {
    return (ObjectNode) entry(bundle).get("inclusionProof");
  }

  private static void checkpoint(ObjectNode bundle, String note) {
    proof(bundle).putObject("checkpoint").put("envelope", note);
  }

  private static void emptyTimestamp(ObjectNode bundle) {
    material(bundle)
        .putObject("timestampVerificationData")
        .putArray("rfc3161Timestamps")
        .addObject()
        .put("signedTimestamp", "");
  }

  private static void garbageTimestamp(ObjectNode bundle) {
    material(bundle)
        .putObject("timestampVerificationData")
        .putArray("rfc3161Timestamps")
        .addObject()
        .put(
            "signedTimestamp",
            Base64.getEncoder().encodeToString("not a timestamp".getBytes(StandardCharsets.UTF_8)));
  }

  private static void unknownDigest(ObjectNode bundle) {
    ((ObjectNode) messageSignature(bundle).get("messageDigest")).put("algorithm", "SHA3_256");
  }
}
