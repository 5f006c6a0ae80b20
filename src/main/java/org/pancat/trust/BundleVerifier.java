package org.pancat.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.sigstore.proto.rekor.v1.TransparencyLogEntry;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.pancat.trust.LogEntryBodyChecker.SignedDigest;
import org.pancat.trust.LogEntryVerifier.VerifiedEntry;
import org.pancat.trust.ParsedBundle.CertificateMaterial;
import org.pancat.trust.ParsedBundle.Envelope;
import org.pancat.trust.ParsedBundle.MessageSignature;

/**
 * Verifies a Sigstore bundle offline against a trusted root, in the order sigstore-python and
 * sigstore-go follow: the signature over the artifact, the trusted times (RFC 3161 timestamps,
 * SET-signed integrated times), every log entry (body, inclusion, checkpoint, SET), then the
 * certificate at every trusted time. The flow follows sigstore-java 2.0.0's {@code KeylessVerifier}
 * (Copyright The Sigstore Authors, Apache-2.0) and adds what it lacks: managed keys, P-384/P-521
 * and SHA-384/512, intoto 0.0.2 entries, and the time checks.
 */
final class BundleVerifier {
  private static final String IN_TOTO = "application/vnd.in-toto+json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * What a bundle proved.
   *
   * @param leaf the signing certificate, empty for a managed key
   * @param signedAt the earliest SET-backed integrated time, else the earliest RFC 3161 time; empty
   *     only for a managed key without either
   */
  record VerifiedBundle(
      Optional<X509Certificate> leaf, PublicKey key, Optional<Instant> signedAt) {}

  private final FulcioCertificateChecker fulcio;
  private final LogEntryVerifier logs;
  private final TimestampChecker timestamps;
  private final Clock clock;

  BundleVerifier(SigstoreTrustedRoot root, Clock clock) {
    this.fulcio = new FulcioCertificateChecker(root.getCAs(), root.getCTLogs());
    this.logs = new LogEntryVerifier(root.getTLogs(), clock);
    this.timestamps = new TimestampChecker(root);
    this.clock = clock;
  }

  /**
   * @param managedKey the key of a managed-key bundle; must be null for a certificate bundle
   */
  VerifiedBundle verify(String bundleJson, Artifact artifact, PublicKey managedKey) {
    ParsedBundle bundle = BundleParser.parse(bundleJson);
    Signer signer = signer(bundle, managedKey);

    SignedDigest signedDigest = null; // for a message signature: what its log entries record
    if (bundle.content() instanceof MessageSignature message) {
      signedDigest = checkMessage(message, artifact, signer);
    } else {
      checkEnvelope((Envelope) bundle.content(), artifact, signer);
    }

    List<Instant> tsaTimes =
        timestamps.verify(bundle.rfc3161Timestamps(), bundle.content().signature());
    Instant otherTime = tsaTimes.stream().min(Comparator.naturalOrder()).orElse(clock.instant());

    List<Instant> signedTimes = new ArrayList<>();
    List<Instant> integratedTimes = new ArrayList<>();
    for (TransparencyLogEntry entry : bundle.tlogEntries()) {
      if (bundle.content() instanceof MessageSignature message) {
        LogEntryBodyChecker.checkMessage(entry, message.signature(), signedDigest, signer);
      } else {
        LogEntryBodyChecker.checkEnvelope(entry, (Envelope) bundle.content(), signer);
      }
      VerifiedEntry verified = logs.verify(entry, otherTime);
      verified.signedTime().ifPresent(signedTimes::add);
      verified.integratedTime().ifPresent(integratedTimes::add);
    }

    TreeSet<Instant> trustedTimes = new TreeSet<>(signedTimes);
    trustedTimes.addAll(tsaTimes);
    if (signer.certificate().isPresent()) {
      X509Certificate leaf = signer.certificate().get();
      if (trustedTimes.isEmpty()) {
        throw EvidenceRefused.doesNotVerify(
            "the bundle proves no signing time: no log entry has a signed entry timestamp and"
                + " there is no RFC 3161 timestamp");
      }
      // an unsigned integrated time proves nothing, but one outside the leaf's life is wrong
      for (Instant integrated : integratedTimes) {
        FulcioCertificateChecker.validAt(leaf, integrated);
      }
      fulcio.check(leaf, trustedTimes);
    }
    Optional<Instant> signedAt =
        signedTimes.stream()
            .min(Comparator.naturalOrder())
            .or(() -> tsaTimes.stream().min(Comparator.naturalOrder()));
    return new VerifiedBundle(signer.certificate(), signer.key(), signedAt);
  }

  private static Signer signer(ParsedBundle bundle, PublicKey managedKey) {
    if (bundle.material() instanceof CertificateMaterial certificate) {
      if (managedKey != null) {
        throw EvidenceRefused.doesNotVerify(
            "a public key was given, but the bundle is signed with a certificate");
      }
      return Signer.of(certificate.leaf());
    }
    if (managedKey == null) {
      throw EvidenceRefused.doesNotVerify(
          "the bundle is signed with a managed key: its public key must be given to verify it");
    }
    return Signer.of(managedKey);
  }

  /**
   * A message signature is over the artifact's digest in the algorithm the bundle names (else the
   * one its key implies); Ed25519 signs the artifact itself.
   */
  private static SignedDigest checkMessage(
      MessageSignature message, Artifact artifact, Signer signer) {
    DigestAlgorithm algorithm =
        message.digestAlgorithm().orElseGet(() -> SigningKeys.defaultDigest(signer.key()));
    byte[] digest = artifact.digest(algorithm);
    if (!message.digest().isEmpty() && !Arrays.equals(message.digest().toByteArray(), digest)) {
      throw EvidenceRefused.doesNotVerify(
          "the bundle's message digest does not match the artifact's "
              + algorithm.label
              + " digest");
    }
    byte[] signature = message.signature().toByteArray();
    boolean valid;
    if (SigningKeys.isEd25519(signer.key())) {
      byte[] bytes =
          artifact
              .bytes()
              .orElseThrow(
                  () ->
                      EvidenceRefused.doesNotVerify(
                          "an Ed25519 signature is over the artifact itself, so it cannot be"
                              + " checked against a digest"));
      valid = SigningKeys.verifyMessage(signer.key(), bytes, signature);
    } else {
      valid = SigningKeys.verifyDigest(signer.key(), algorithm, digest, signature);
    }
    if (!valid) {
      throw EvidenceRefused.doesNotVerify(
          "the signature does not match the artifact and the signing " + signer.noun());
    }
    return new SignedDigest(algorithm, ByteString.copyFrom(digest));
  }

  /**
   * The envelope's signature over its PAE, and the artifact bound to it: among the subjects of an
   * in-toto statement (by any SHA-2 digest they list), or, for any other payload type, the payload
   * itself.
   */
  private static void checkEnvelope(Envelope envelope, Artifact artifact, Signer signer) {
    if (!SigningKeys.verifyMessage(
        signer.key(), envelope.pae(), envelope.signature().toByteArray())) {
      throw EvidenceRefused.doesNotVerify(
          "the DSSE envelope's signature does not verify with the signing " + signer.noun());
    }
    byte[] payload = envelope.payload().toByteArray();
    if (!envelope.payloadType().equals(IN_TOTO)) {
      if (!artifact.is(payload)) {
        throw EvidenceRefused.doesNotVerify("the DSSE envelope's payload is not the artifact");
      }
      return;
    }
    JsonNode statement;
    try {
      statement = MAPPER.readTree(payload);
    } catch (IOException e) {
      throw EvidenceRefused.doesNotVerify("the DSSE envelope's in-toto statement is not JSON");
    }
    if (statement == null || !statement.path("subject").isArray()) {
      throw EvidenceRefused.doesNotVerify("the DSSE envelope's in-toto statement has no subjects");
    }
    for (JsonNode subject : statement.path("subject")) {
      for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
        String hex = subject.path("digest").path(algorithm.label).asText("");
        Optional<byte[]> digest = artifact.digestIfKnown(algorithm);
        if (!hex.isEmpty() && digest.isPresent() && sameHex(hex, digest.get())) {
          return;
        }
      }
    }
    throw EvidenceRefused.doesNotVerify(
        "the artifact's digest is not among the in-toto statement's subjects");
  }

  private static boolean sameHex(String hex, byte[] digest) {
    try {
      return Arrays.equals(HexFormat.of().parseHex(hex), digest);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
