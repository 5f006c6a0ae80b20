package org.pancat.trust;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sigstore.json.ProtoJson;
import dev.sigstore.proto.bundle.v1.Bundle;
import dev.sigstore.proto.bundle.v1.VerificationMaterial;
import dev.sigstore.proto.common.v1.MessageSignature;
import dev.sigstore.proto.common.v1.RFC3161SignedTimestamp;
import dev.sigstore.proto.common.v1.X509Certificate;
import dev.sigstore.proto.rekor.v1.TransparencyLogEntry;
import io.intoto.EnvelopeOuterClass;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pancat.trust.ParsedBundle.CertificateMaterial;
import org.pancat.trust.ParsedBundle.Envelope;
import org.pancat.trust.ParsedBundle.ManagedKeyMaterial;
import org.pancat.trust.ParsedBundle.SignedContent;
import org.pancat.trust.ParsedBundle.SigningMaterial;

/**
 * Reads bundle JSON with the protobuf-specs classes sigstore-java ships and applies the rules the
 * media types set (as sigstore-go does): v0.1 entries carry a signed entry timestamp, v0.3 carries
 * a single certificate rather than a chain. Every refusal is a sentence of ours.
 */
final class BundleParser {
  private static final String BASE = "application/vnd.dev.sigstore.bundle";
  private static final Map<String, String> MEDIA_TYPES =
      Map.of(
          BASE + "+json;version=0.1", "0.1",
          BASE + "+json;version=0.2", "0.2",
          BASE + "+json;version=0.3", "0.3",
          BASE + ".v0.3+json", "0.3");

  /** More entries or timestamps than any real bundle has are refused before any work (DoS). */
  static final int MAX_EVIDENCE = 32;

  private BundleParser() {}

  static ParsedBundle parse(String json) {
    Bundle bundle;
    try {
      Bundle.Builder builder = Bundle.newBuilder();
      ProtoJson.parser().merge(json, builder);
      bundle = builder.build();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw EvidenceRefused.doesNotVerify("the bundle is malformed (not Sigstore bundle JSON)");
    }
    String version = MEDIA_TYPES.get(bundle.getMediaType());
    if (version == null) {
      throw EvidenceRefused.doesNotVerify(
          "the bundle's media type is not a supported Sigstore bundle version (0.1, 0.2, 0.3)");
    }
    VerificationMaterial material = bundle.getVerificationMaterial();
    List<TransparencyLogEntry> entries = material.getTlogEntriesList();
    if (entries.isEmpty()) {
      throw EvidenceRefused.doesNotVerify("the bundle has no transparency-log entry");
    }
    if (entries.size() > MAX_EVIDENCE) {
      throw EvidenceRefused.doesNotVerify("the bundle has too many transparency-log entries");
    }
    Set<String> seen = new HashSet<>();
    for (TransparencyLogEntry entry : entries) {
      if (entry.getLogIndex() < 0) {
        throw EvidenceRefused.doesNotVerify("the transparency-log entry has a negative log index");
      }
      if (!seen.add(
          Base64.getEncoder().encodeToString(entry.getLogId().getKeyId().toByteArray())
              + "#"
              + entry.getLogIndex())) {
        throw EvidenceRefused.doesNotVerify("the bundle has the same transparency-log entry twice");
      }
      if (version.equals("0.1")
          && entry.getInclusionPromise().getSignedEntryTimestamp().isEmpty()) {
        throw EvidenceRefused.doesNotVerify(
            "a v0.1 bundle's log entry must carry a signed entry timestamp");
      }
    }
    return new ParsedBundle(
        version,
        content(bundle),
        signingMaterial(material, version),
        entries,
        timestamps(material));
  }

  private static SignedContent content(Bundle bundle) {
    if (bundle.hasMessageSignature()) {
      MessageSignature signature = bundle.getMessageSignature();
      if (signature.getSignature().isEmpty()) {
        throw EvidenceRefused.doesNotVerify("the bundle's signature is empty");
      }
      Optional<DigestAlgorithm> algorithm = Optional.empty();
      ByteString digest = ByteString.EMPTY;
      if (signature.hasMessageDigest()) {
        algorithm = DigestAlgorithm.of(signature.getMessageDigest().getAlgorithm());
        digest = signature.getMessageDigest().getDigest();
        if (algorithm.isEmpty() || digest.size() != algorithm.get().length) {
          throw EvidenceRefused.doesNotVerify(
              "the bundle's message digest is not a SHA-256, SHA-384 or SHA-512 digest");
        }
      }
      return new ParsedBundle.MessageSignature(algorithm, digest, signature.getSignature());
    }
    if (bundle.hasDsseEnvelope()) {
      EnvelopeOuterClass.Envelope envelope = bundle.getDsseEnvelope();
      if (envelope.getSignaturesCount() != 1) {
        throw EvidenceRefused.doesNotVerify(
            "the bundle's DSSE envelope must carry exactly one signature");
      }
      ByteString signature = envelope.getSignatures(0).getSig();
      if (signature.isEmpty()) {
        throw EvidenceRefused.doesNotVerify("the bundle's DSSE signature is empty");
      }
      return new Envelope(envelope.getPayloadType(), envelope.getPayload(), signature);
    }
    throw EvidenceRefused.doesNotVerify(
        "the bundle has neither a message signature nor a DSSE envelope");
  }

  private static SigningMaterial signingMaterial(VerificationMaterial material, String version) {
    if (material.hasPublicKey()) {
      return new ManagedKeyMaterial(material.getPublicKey().getHint());
    }
    if (material.hasCertificate()) {
      return new CertificateMaterial(certificate(material.getCertificate()));
    }
    if (material.hasX509CertificateChain()) {
      if (version.equals("0.3")) {
        throw EvidenceRefused.doesNotVerify(
            "a v0.3 bundle carries a single certificate, not a certificate chain");
      }
      List<X509Certificate> chain = material.getX509CertificateChain().getCertificatesList();
      if (chain.isEmpty()) {
        throw EvidenceRefused.doesNotVerify("the bundle has no certificate");
      }
      List<java.security.cert.X509Certificate> read = new ArrayList<>();
      for (X509Certificate certificate : chain) {
        read.add(certificate(certificate));
      }
      // the chain must stop below the root (protobuf-specs): a root in the bundle would be
      // trusted by a careless verifier, so it is refused rather than ignored
      for (java.security.cert.X509Certificate certificate : read) {
        if (selfSigned(certificate)) {
          throw EvidenceRefused.doesNotVerify(
              "the bundle's certificate chain includes a root certificate");
        }
      }
      return new CertificateMaterial(read.get(0));
    }
    throw EvidenceRefused.doesNotVerify("the bundle has no certificate or public key");
  }

  private static java.security.cert.X509Certificate certificate(X509Certificate proto) {
    if (proto.getRawBytes().isEmpty()) {
      throw EvidenceRefused.doesNotVerify("the bundle has no certificate");
    }
    return SigningKeys.certificate(proto.getRawBytes().toByteArray())
        .orElseThrow(
            () -> EvidenceRefused.doesNotVerify("the bundle's certificate cannot be read"));
  }

  private static boolean selfSigned(java.security.cert.X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    try {
      certificate.verify(certificate.getPublicKey());
      return true;
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static List<ByteString> timestamps(VerificationMaterial material) {
    List<RFC3161SignedTimestamp> timestamps =
        material.getTimestampVerificationData().getRfc3161TimestampsList();
    if (timestamps.size() > MAX_EVIDENCE) {
      throw EvidenceRefused.doesNotVerify("the bundle has too many RFC 3161 timestamps");
    }
    List<ByteString> tokens = new ArrayList<>();
    for (RFC3161SignedTimestamp timestamp : timestamps) {
      if (timestamp.getSignedTimestamp().isEmpty()) {
        throw EvidenceRefused.doesNotVerify("an RFC 3161 timestamp in the bundle is empty");
      }
      if (tokens.contains(timestamp.getSignedTimestamp())) {
        throw EvidenceRefused.doesNotVerify("the bundle has the same RFC 3161 timestamp twice");
      }
      tokens.add(timestamp.getSignedTimestamp());
    }
    return tokens;
  }
}
