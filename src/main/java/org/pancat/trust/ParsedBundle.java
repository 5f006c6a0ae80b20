package org.pancat.trust;

import com.google.protobuf.ByteString;
import dev.sigstore.proto.rekor.v1.TransparencyLogEntry;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A Sigstore bundle read and checked for shape, before any cryptography: what is signed, by what
 * material, and the evidence (log entries, timestamps) that comes with it.
 *
 * @param version the media-type version: {@code 0.1}, {@code 0.2} or {@code 0.3}
 */
record ParsedBundle(
    String version,
    SignedContent content,
    SigningMaterial material,
    List<TransparencyLogEntry> tlogEntries,
    List<ByteString> rfc3161Timestamps) {

  ParsedBundle {
    tlogEntries = List.copyOf(tlogEntries);
    rfc3161Timestamps = List.copyOf(rfc3161Timestamps);
  }

  /** What was signed: a message (its digest) or a DSSE envelope. */
  sealed interface SignedContent permits MessageSignature, Envelope {
    /** The signature bytes: what the log records and what RFC 3161 timestamps cover. */
    ByteString signature();
  }

  /**
   * A signature over the artifact's digest.
   *
   * @param digestAlgorithm the bundle's {@code messageDigest} algorithm, when it names one
   * @param digest the bundle's {@code messageDigest} (an unauthenticated hint), or empty
   */
  record MessageSignature(
      Optional<DigestAlgorithm> digestAlgorithm, ByteString digest, ByteString signature)
      implements SignedContent {}

  /** A DSSE envelope with its single signature (Sigstore bundles carry exactly one). */
  record Envelope(String payloadType, ByteString payload, ByteString signature)
      implements SignedContent {

    /** DSSE's pre-authentication encoding, the bytes the signature is over. */
    byte[] pae() {
      byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
      byte[] head =
          ("DSSEv1 " + type.length + " " + payloadType + " " + payload.size() + " ")
              .getBytes(StandardCharsets.UTF_8);
      return ByteString.copyFrom(head).concat(payload).toByteArray();
    }
  }

  /** Who signed: a Fulcio certificate or a managed key the verifier must be given. */
  sealed interface SigningMaterial permits CertificateMaterial, ManagedKeyMaterial {}

  /** The signing (leaf) certificate; intermediates in the bundle are not trusted or used. */
  record CertificateMaterial(X509Certificate leaf) implements SigningMaterial {}

  /** A managed key: the bundle only carries a hint naming it. */
  record ManagedKeyMaterial(String hint) implements SigningMaterial {}
}
