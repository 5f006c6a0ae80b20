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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pancat.support.Signing;

/** Offline verification of real Sigstore bundles and key-pair signatures, and tamper refusals. */
class SignatureVerifierTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SignatureVerifier VERIFIER =
      new SignatureVerifier(SignatureVerifier.trustedRoot(null), MAPPER, Clock.systemUTC());

  @ParameterizedTest
  @ValueSource(strings = {"0.1", "0.2", "0.3"})
  void aRealKeylessBundleVerifiesOffline(String version) {
    VerifiedSignature v = VERIFIER.verifyBundle(Signing.bundle(version), Signing.BUNDLE_DIGEST);
    assertEquals("sigstore-bundle", v.kind());
    assertEquals(Signing.BUNDLE_IDENTITY, v.identity());
    assertEquals(Signing.BUNDLE_ISSUER, v.issuer());
    assertEquals(Instant.parse("2023-10-11T14:28:04Z"), v.signedAt());
  }

  @Test
  void aFlippedByteInTheArtifactDigestIsRefused() {
    String digest = Signing.BUNDLE_DIGEST;
    String flipped = digest.substring(0, digest.length() - 1) + "0";
    assertRefused(() -> VERIFIER.verifyBundle(Signing.bundle("0.3"), flipped), "digest");
  }

  @Test
  void aFlippedByteInTheSignatureIsRefused() {
    assertRefusedAfter(
        b -> {
          ObjectNode sig = (ObjectNode) b.get("messageSignature");
          sig.put("signature", Signing.flip(sig.get("signature").asText(), 40));
        },
        "signature");
  }

  @Test
  void aFlippedByteInTheCertificateIsRefused() {
    // byte 300 lies inside the to-be-signed certificate (its extensions), so the CA signature
    // breaks
    assertRefusedAfter(
        b -> {
          ObjectNode cert = (ObjectNode) b.get("verificationMaterial").get("certificate");
          cert.put("rawBytes", Signing.flip(cert.get("rawBytes").asText(), 300));
        },
        "");
  }

  @Test
  void aFlippedByteInTheLogEntryIsRefused() {
    assertRefusedAfter(
        b -> {
          ObjectNode entry = tlogEntry(b);
          entry.put("canonicalizedBody", Signing.flip(entry.get("canonicalizedBody").asText(), 60));
        },
        "");
    assertRefusedAfter(
        b -> {
          ObjectNode promise = (ObjectNode) tlogEntry(b).get("inclusionPromise");
          promise.put(
              "signedEntryTimestamp",
              Signing.flip(promise.get("signedEntryTimestamp").asText(), 20));
        },
        "");
    assertRefusedAfter(
        b -> {
          ObjectNode proof = (ObjectNode) tlogEntry(b).get("inclusionProof");
          proof.put("rootHash", Signing.flip(proof.get("rootHash").asText(), 3));
        },
        "");
    assertRefusedAfter(b -> tlogEntry(b).put("integratedTime", "1697034999"), "");
  }

  @Test
  void aBundleWithoutLogEntryIsRefused() {
    assertRefusedAfter(
        b -> ((ObjectNode) b.get("verificationMaterial")).putArray("tlogEntries"), "bundle");
  }

  @Test
  void aFlippedByteInTheTrustedRootIsRefused(@TempDir Path dir) throws IOException {
    for (String field : List.of("tlog", "ca")) {
      ObjectNode root;
      try (InputStream in = getClass().getResourceAsStream("/trust/trusted_root.json")) {
        root = (ObjectNode) MAPPER.readTree(in);
      }
      ObjectNode key =
          field.equals("tlog")
              ? (ObjectNode) root.get("tlogs").get(0).get("publicKey")
              : (ObjectNode)
                  root.get("certificateAuthorities")
                      .get(1)
                      .get("certChain")
                      .get("certificates")
                      .get(0);
      key.put("rawBytes", Signing.flip(key.get("rawBytes").asText(), -5));
      Path file = dir.resolve(field + ".json");
      Files.writeString(file, MAPPER.writeValueAsString(root));
      SignatureVerifier verifier;
      try {
        verifier =
            new SignatureVerifier(SignatureVerifier.trustedRoot(file), MAPPER, Clock.systemUTC());
      } catch (IllegalStateException e) {
        assertTrue(e.getMessage().contains("trusted"), e.getMessage());
        continue; // refused at load: the node does not start with it
      }
      SignatureVerifier tampered = verifier;
      assertRefused(() -> tampered.verifyBundle(Signing.bundle("0.3"), Signing.BUNDLE_DIGEST), "");
    }
  }

  @Test
  void keyPairSignaturesVerifyAndFailClosed() throws Exception {
    Signing signing = new Signing();
    byte[] blob = "pyFAI-2025.1.tar.gz contents".getBytes(StandardCharsets.UTF_8);
    String digest =
        "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
    VerifiedSignature v =
        VERIFIER.verifyKeySignature(
            signing.publicKeyPem(), signing.signDigest(digest), null, digest);
    assertEquals("public-key", v.kind());
    assertEquals(SignatureVerifier.fingerprint(signing.publicKeyPem()), v.identity());
    assertNull(v.issuer());

    String otherDigest = "sha256:" + "ab".repeat(32);
    assertRefused(
        () ->
            VERIFIER.verifyKeySignature(
                signing.publicKeyPem(), signing.signDigest(digest), null, otherDigest),
        "does not match");
    assertRefused(
        () ->
            VERIFIER.verifyKeySignature(
                signing.publicKeyPem(), Signing.flip(signing.signDigest(digest), 10), null, digest),
        "");
    assertRefused(
        () ->
            VERIFIER.verifyKeySignature(
                new Signing().publicKeyPem(), signing.signDigest(digest), null, digest),
        "does not match");
  }

  @Test
  void simpleSigningPayloadsMustNameTheDigest() {
    Signing signing = new Signing();
    String digest = "sha256:" + "cd".repeat(32);
    byte[] payload = simpleSigning(digest);
    String b64 = Base64.getEncoder().encodeToString(payload);
    VerifiedSignature v =
        VERIFIER.verifyKeySignature(
            signing.publicKeyPem(), signing.signPayload(payload), b64, digest);
    assertEquals("public-key", v.kind());

    byte[] other = simpleSigning("sha256:" + "ef".repeat(32));
    assertRefused(
        () ->
            VERIFIER.verifyKeySignature(
                signing.publicKeyPem(),
                signing.signPayload(other),
                Base64.getEncoder().encodeToString(other),
                digest),
        "names digest");
  }

  /**
   * Verification never touches the network: a security manager refuses every connection and DNS
   * lookup while all kinds of signatures are verified (Java 17; see the surefire argLine).
   */
  @Test
  @SuppressWarnings("removal")
  void verificationMakesNoNetworkAccess() {
    // JDK 24 removed the security manager; CI and the build target JDK 17
    Assumptions.assumeTrue(Runtime.version().feature() < 24, "needs a JDK with a security manager");
    List<String> attempts = new ArrayList<>();
    Thread verifying = Thread.currentThread();
    SecurityManager previous = System.getSecurityManager();
    System.setSecurityManager(
        new SecurityManager() {
          @Override
          public void checkConnect(String host, int port) {
            if (Thread.currentThread() != verifying) {
              return; // other threads of the test JVM (e.g. a database pool) are not under test
            }
            attempts.add(host + ":" + port);
            throw new SecurityException("network access during verification: " + host);
          }

          @Override
          public void checkConnect(String host, int port, Object context) {
            checkConnect(host, port);
          }

          @Override
          public void checkPermission(java.security.Permission perm) {}
        });
    try {
      SignatureVerifier offline =
          new SignatureVerifier(SignatureVerifier.trustedRoot(null), MAPPER, Clock.systemUTC());
      for (String version : List.of("0.1", "0.2", "0.3")) {
        offline.verifyBundle(Signing.bundle(version), Signing.BUNDLE_DIGEST);
      }
      Signing signing = new Signing();
      String digest = "sha256:" + "12".repeat(32);
      offline.verifyKeySignature(signing.publicKeyPem(), signing.signDigest(digest), null, digest);
    } finally {
      System.setSecurityManager(previous);
    }
    assertEquals(List.of(), attempts);
  }

  private static byte[] simpleSigning(String digest) {
    return ("{\"critical\":{\"identity\":{\"docker-reference\":\"registry.esrf.fr/pan/pyfai\"},"
            + "\"image\":{\"docker-manifest-digest\":\""
            + digest
            + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode tlogEntry(ObjectNode bundle) {
    return (ObjectNode) bundle.get("verificationMaterial").get("tlogEntries").get(0);
  }

  private static void assertRefusedAfter(Consumer<ObjectNode> tamper, String mention) {
    ObjectNode bundle = Signing.bundle("0.3");
    tamper.accept(bundle);
    assertRefused(() -> VERIFIER.verifyBundle(bundle, Signing.BUNDLE_DIGEST), mention);
  }

  private static void assertRefused(Runnable verification, String mention) {
    EvidenceRefused e = assertThrows(EvidenceRefused.class, verification::run);
    assertEquals(EvidenceRefused.Reason.DOES_NOT_VERIFY, e.reason());
    assertTrue(e.getMessage().contains(mention), e.getMessage());
    if (e.getMessage().contains("Exception")) {
      fail("a refusal names a class: " + e.getMessage());
    }
  }
}
