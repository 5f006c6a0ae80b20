package org.pancat.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pancat.support.Signing;

/**
 * Real bundles sigstore-java 2.0.0 cannot verify (see {@code trust/fixtures/README.md}): managed
 * keys, P-384 and P-521, npm and slsa-github-generator provenance logged as {@code intoto} 0.0.2,
 * Rekor v2; and the refusal when one byte of their evidence changes.
 */
class SigstoreFixturesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SignatureVerifier VERIFIER =
      new SignatureVerifier(SignatureVerifier.trustedRoot(null), MAPPER, Clock.systemUTC());

  private static final String MANAGED = "/trust/sigstore-conformance/bundle-verify/";
  private static final String FIXTURES = "/trust/fixtures/";
  private static final String GUNDAM = FIXTURES + "npm-gundam-visor-1.0.1/";
  private static final String ECDSA = FIXTURES + "ecdsa-p384-p521/";
  private static final String REKOR_V2 = FIXTURES + "rekor-v2-dsse/";
  private static final String GITHUB_ACTIONS = "https://token.actions.githubusercontent.com";

  @Test
  void aManagedKeyBundleVerifiesWithItsKeyOnly() {
    String bundle = text(MANAGED + "managed-key-happy-path/bundle.sigstore.json");
    byte[] artifact = bytes(MANAGED + "a.txt");
    String key = text(MANAGED + "managed-key-happy-path/key.pub");

    VerifiedSignature v = VERIFIER.verifyBundleJson(bundle, artifact, key);
    assertEquals("sigstore-bundle", v.kind());
    assertEquals(SignatureVerifier.fingerprint(key), v.identity());
    assertNull(v.issuer());
    assertEquals(Instant.parse("2025-12-18T17:04:39Z"), v.signedAt());
    assertEquals(
        v.identity(),
        VERIFIER.verifyBundle(json(bundle), "sha256:" + sha256(artifact), key).identity());

    assertRefused(
        () -> VERIFIER.verifyBundleJson(bundle, artifact, new Signing().publicKeyPem()),
        "the signature does not match the artifact and the signing key");
    assertRefused(
        () -> VERIFIER.verifyBundleJson(bundle, artifact, null),
        "the bundle is signed with a managed key: its public key must be given");
    assertRefused(
        () -> VERIFIER.verifyBundle(Signing.bundle("0.3"), Signing.BUNDLE_DIGEST, key),
        "a public key was given, but the bundle is signed with a certificate");
  }

  /**
   * An integrated time is only the bundle's word until a SET signs it. With the SET the log's key
   * is checked at the signed time; without it, at an RFC 3161 time, else now: a log key retired
   * since cannot be made acceptable by a bundle that states an old time (found in review).
   */
  @Test
  void aLogKeyRetiredSinceCountsOnlyForATimeItsSetSigned() throws Exception {
    String bundle = text(MANAGED + "managed-key-happy-path/bundle.sigstore.json");
    byte[] artifact = bytes(MANAGED + "a.txt");
    String key = text(MANAGED + "managed-key-happy-path/key.pub");
    ObjectNode parsed = (ObjectNode) MAPPER.readTree(bundle);
    var entry = (ObjectNode) parsed.path("verificationMaterial").path("tlogEntries").get(0);
    String logId = entry.path("logId").path("keyId").asText();
    Instant integrated = Instant.ofEpochSecond(entry.path("integratedTime").asLong());
    ObjectNode root;
    try (InputStream in = SignatureVerifier.class.getResourceAsStream("/trust/trusted_root.json")) {
      root = (ObjectNode) MAPPER.readTree(in);
    }
    int retired = 0;
    for (var log : root.path("tlogs")) {
      if (log.path("logId").path("keyId").asText().equals(logId)) {
        ((ObjectNode) log.path("publicKey").path("validFor"))
            .put("end", integrated.plusSeconds(86_400).toString());
        retired++;
      }
    }
    assertEquals(1, retired, "the bundle's log is in the shipped root");
    Path file = Files.createTempFile("retired-log", ".json");
    Files.writeString(file, MAPPER.writeValueAsString(root));
    SignatureVerifier retiredLog =
        new SignatureVerifier(SignatureVerifier.trustedRoot(file), MAPPER, Clock.systemUTC());

    assertEquals(
        SignatureVerifier.fingerprint(key),
        retiredLog.verifyBundleJson(bundle, artifact, key).identity(),
        "the SET proves the entry was made while the key was valid");
    ((ObjectNode) entry).remove("inclusionPromise");
    assertEquals(
        SignatureVerifier.fingerprint(key),
        retiredLog.verifyBundleJson(MAPPER.writeValueAsString(parsed), artifact, key).identity(),
        "without the SET, the RFC 3161 time still proves when");
    ((ObjectNode) parsed.path("verificationMaterial")).remove("timestampVerificationData");
    String unproven = MAPPER.writeValueAsString(parsed);
    assertRefused(() -> retiredLog.verifyBundleJson(unproven, artifact, key), "was not valid at");
    Files.delete(file);
  }

  @Test
  void p384AndP521BundlesVerifyOverTheirSha384AndSha512Digests() {
    byte[] artifact = bytes(ECDSA + "artifact.txt");
    VerifiedSignature p384 =
        VERIFIER.verifyBundle(
            json(text(ECDSA + "PKIX_ECDSA_P384_SHA_384.sigstore.json")),
            "sha384:" + hex("SHA-384", artifact),
            null);
    assertEquals("untrusted-sa@sigstore-conformance.iam.gserviceaccount.com", p384.identity());
    assertEquals("https://accounts.google.com", p384.issuer());
    VerifiedSignature p521 =
        VERIFIER.verifyBundle(
            json(text(ECDSA + "PKIX_ECDSA_P521_SHA_512.sigstore.json")),
            "sha512:" + hex("SHA-512", artifact),
            null);
    assertEquals(p384.identity(), p521.identity());
    for (String name : new String[] {"P384_SHA_384", "P521_SHA_512", "P256_SHA_256"}) {
      VERIFIER.verifyBundleJson(
          text(ECDSA + "PKIX_ECDSA_" + name + ".sigstore.json"), artifact, null);
    }

    assertRefused(
        () ->
            VERIFIER.verifyBundle(
                json(text(ECDSA + "PKIX_ECDSA_P384_SHA_384.sigstore.json")),
                "sha256:" + sha256(artifact)),
        "the bundle signs the artifact's sha384 digest, and only its sha256 digest was given");
  }

  @Test
  void npmProvenanceLoggedAsIntotoVerifiesOverItsSha512Subject() {
    VerifiedSignature sigstoreJs =
        VERIFIER.verifyBundle(
            json(
                text(
                    FIXTURES
                        + "npm-sigstore-2.0.0-provenance/sigstore.js@2.0.0-provenance.sigstore.json")),
            "sha512:46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a"
                + "2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c");
    assertEquals(
        "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main",
        sigstoreJs.identity());
    assertEquals(GITHUB_ACTIONS, sigstoreJs.issuer());
    assertEquals(Instant.parse("2023-08-18T16:05:35Z"), sigstoreJs.signedAt());

    byte[] tarball = bytes(GUNDAM + "gundam-visor-cli-v1-tag.tgz");
    String sha512 = "sha512:" + hex("SHA-512", tarball);
    VerifiedSignature provenance =
        VERIFIER.verifyBundle(
            json(text(GUNDAM + "gundam-visor-cli-v1-tag.tgz.provenance.sigstore.json")), sha512);
    assertEquals(
        "https://github.com/ramonpetgrave64/gundam-visor/.github/workflows/npm-publish.yml@refs/tags/v1.0.1",
        provenance.identity());
    // the registry's publish attestation: intoto 0.0.2 signed with npm's managed key
    String npmKey = text(GUNDAM + "npm_registry_publish_key.pub");
    VerifiedSignature publish =
        VERIFIER.verifyBundleJson(
            text(GUNDAM + "gundam-visor-cli-v1-tag.tgz.publish.sigstore.json"), tarball, npmKey);
    assertEquals(SignatureVerifier.fingerprint(npmKey), publish.identity());

    assertRefused(
        () ->
            VERIFIER.verifyBundle(
                json(
                    text(
                        GUNDAM
                            + "gundam-visor-cli-v1-tag-invalidsigprov.tgz.provenance.sigstore.json")),
                sha512),
        "the DSSE envelope's signature does not verify with the signing certificate");
    assertRefused(
        () ->
            VERIFIER.verifyBundle(
                json(
                    text(
                        GUNDAM
                            + "gundam-visor-cli-v1-tag-invalidsigpub.tgz.publish.sigstore.json")),
                sha512,
                npmKey),
        "the DSSE envelope's signature does not verify with the signing key");
    assertRefused(
        () ->
            VERIFIER.verifyBundle(
                json(text(GUNDAM + "gundam-visor-cli-v1-tag.tgz.provenance.sigstore.json")),
                "sha512:" + "ab".repeat(64)),
        "the artifact's digest is not among the in-toto statement's subjects");
  }

  @Test
  void slsaGeneratorProvenanceLoggedAsIntotoVerifies() {
    String dir = FIXTURES + "slsa-generator-container-based-v1.10.0/";
    VerifiedSignature v =
        VERIFIER.verifyBundleJson(
            text(dir + "binary-linux-amd64-workflow_dispatch.intoto.build.slsa"),
            bytes(dir + "binary-linux-amd64-workflow_dispatch"),
            null);
    assertEquals(
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"
            + "builder_container-based_slsa3.yml@refs/tags/v1.10.0",
        v.identity());
  }

  @Test
  void aRekorV2DsseBundleVerifiesOnItsTimestamp() {
    byte[] artifact = bytes(REKOR_V2 + "artifact");
    VerifiedSignature v =
        VERIFIER.verifyBundleJson(text(REKOR_V2 + "bundle.sigstore.json"), artifact, null);
    assertEquals("brian@dehamer.com", v.identity());
    assertEquals("https://github.com/login/oauth", v.issuer());
    assertEquals(Instant.parse("2025-12-11T19:36:08Z"), v.signedAt(), "the RFC 3161 time");
    VERIFIER.verifyBundle(
        json(text(REKOR_V2 + "bundle.sigstore.json")), "sha256:" + sha256(artifact));
    assertRefused(
        () ->
            VERIFIER.verifyBundleJson(
                text(REKOR_V2 + "bundle.sigstore.json"),
                "hello, world?".getBytes(StandardCharsets.UTF_8),
                null),
        "the DSSE envelope's payload is not the artifact");
  }

  @Test
  void entriesThisNodeDoesNotAcceptAreRefusedWithTheReason() {
    String setOnly = FIXTURES + "npm-sigstore-1.3.0-publish/";
    assertRefused(
        () ->
            VERIFIER.verifyBundle(
                json(text(setOnly + "bundle-publish.json")),
                "sha512:76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6b3527515dc17c0"
                    + "6fbe2860030f410eee69ea20079bd3a2c6f3dcf3b329b10751",
                text(setOnly + "publish_key.pub")),
        "the transparency-log entry has no inclusion proof");
    String keyVerifier = FIXTURES + "rekor-v2-hashedrekord-key-verifier/";
    assertRefused(
        () ->
            VERIFIER.verifyBundleJson(
                text(keyVerifier + "bundle.sigstore.json"), bytes(keyVerifier + "artifact"), null),
        "the log entry records a public key where the bundle has a certificate");
  }

  static Stream<Arguments> tampering() {
    Consumer<ObjectNode> messageSignature =
        b -> flip((ObjectNode) b.get("messageSignature"), "signature", 20);
    Consumer<ObjectNode> envelopeSignature =
        b -> flip((ObjectNode) b.get("dsseEnvelope").get("signatures").get(0), "sig", 20);
    Consumer<ObjectNode> body = b -> flip(entry(b), "canonicalizedBody", 40);
    Consumer<ObjectNode> loggedDigest =
        b -> {
          // one hex digit of the digest the hashedrekord body records
          String json =
              new String(
                  Base64.getDecoder().decode(entry(b).get("canonicalizedBody").asText()),
                  StandardCharsets.UTF_8);
          int at = json.indexOf("\"value\":\"") + 9;
          String changed =
              json.substring(0, at) + (json.charAt(at) == '0' ? '1' : '0') + json.substring(at + 1);
          entry(b)
              .put(
                  "canonicalizedBody",
                  Base64.getEncoder().encodeToString(changed.getBytes(StandardCharsets.UTF_8)));
        };
    Consumer<ObjectNode> proofHash =
        b -> {
          var hashes = (com.fasterxml.jackson.databind.node.ArrayNode) proof(b).get("hashes");
          hashes.set(0, Signing.flip(hashes.get(0).asText(), 5));
        };
    Consumer<ObjectNode> checkpoint =
        b -> {
          ObjectNode envelope = (ObjectNode) proof(b).get("checkpoint");
          String note = envelope.get("envelope").asText();
          // the last byte of the log's signature line, inside its base64
          int end = note.lastIndexOf('\n');
          int space = note.lastIndexOf(' ', end);
          String signature = Signing.flip(note.substring(space + 1, end), -1);
          envelope.put("envelope", note.substring(0, space + 1) + signature + "\n");
        };
    String p384 = ECDSA + "PKIX_ECDSA_P384_SHA_384.sigstore.json";
    String v2 = REKOR_V2 + "bundle.sigstore.json";
    return Stream.of(
        Arguments.of(p384, "signature", messageSignature, "the signature does not match"),
        Arguments.of(p384, "log entry body", body, "entry"),
        Arguments.of(
            p384,
            "digest in the log entry body",
            loggedDigest,
            "the log entry does not match the bundle (different digest)"),
        Arguments.of(p384, "inclusion proof hash", proofHash, "inclusion proof does not verify"),
        Arguments.of(p384, "checkpoint", checkpoint, "not signed by the transparency log"),
        Arguments.of(v2, "signature", envelopeSignature, "signature does not verify"),
        Arguments.of(v2, "log entry body", body, "entry"),
        Arguments.of(v2, "inclusion proof hash", proofHash, "inclusion proof does not verify"),
        Arguments.of(v2, "checkpoint", checkpoint, "not signed by the transparency log"));
  }

  @ParameterizedTest(name = "{1} of {0}")
  @MethodSource("tampering")
  void oneChangedByteIsRefusedClearly(
      String fixture, String what, Consumer<ObjectNode> tamper, String mention) {
    ObjectNode bundle = (ObjectNode) json(text(fixture));
    byte[] artifact =
        bytes(fixture.substring(0, fixture.lastIndexOf('/') + 1) + artifactName(fixture));
    VERIFIER.verifyBundle(bundle, artifact, null); // verifies untouched
    tamper.accept(bundle);
    assertRefused(() -> VERIFIER.verifyBundle(bundle, artifact, null), mention);
  }

  private static String artifactName(String fixture) {
    return fixture.startsWith(ECDSA) ? "artifact.txt" : "artifact";
  }

  private static ObjectNode entry(ObjectNode bundle) {
    return (ObjectNode) bundle.get("verificationMaterial").get("tlogEntries").get(0);
  }

  private static ObjectNode proof(ObjectNode bundle) {
    return (ObjectNode) entry(bundle).get("inclusionProof");
  }

  private static void flip(ObjectNode node, String field, int index) {
    node.put(field, Signing.flip(node.get(field).asText(), index));
  }

  static void assertRefused(Runnable verification, String mention) {
    EvidenceRefused e = assertThrows(EvidenceRefused.class, verification::run);
    assertEquals(EvidenceRefused.Reason.DOES_NOT_VERIFY, e.reason());
    assertTrue(e.getMessage().contains(mention), e.getMessage());
    if (e.getMessage().contains("Exception")) {
      fail("a refusal names a class: " + e.getMessage());
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String resource) {
    return new String(bytes(resource), StandardCharsets.UTF_8);
  }

  static byte[] bytes(String resource) {
    try (InputStream in = SigstoreFixturesTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] data) {
    return hex("SHA-256", data);
  }

  private static String hex(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
