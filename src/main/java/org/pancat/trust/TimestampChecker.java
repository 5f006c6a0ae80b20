package org.pancat.trust;

import com.google.protobuf.ByteString;
import dev.sigstore.timestamp.client.ImmutableTimestampResponse;
import dev.sigstore.timestamp.client.TimestampException;
import dev.sigstore.timestamp.client.TimestampResponse;
import dev.sigstore.timestamp.client.TimestampVerificationException;
import dev.sigstore.timestamp.client.TimestampVerifier;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 3161 timestamps over the signature, with sigstore-java's {@link TimestampVerifier}: the token
 * is signed by a timestamp authority of the trusted root, its chain was valid at the token's time,
 * the time is inside the authority's validity window (end included), and the token's message
 * imprint is the digest of the signature bytes. Every timestamp in the bundle must verify.
 */
final class TimestampChecker {
  private final TimestampVerifier verifier;

  TimestampChecker(SigstoreTrustedRoot root) {
    try {
      this.verifier = TimestampVerifier.newTimestampVerifier(root);
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException(
          "pancat.trust.trusted-root: a timestamp authority's certificates cannot be used", e);
    }
  }

  /** The times the timestamps prove, in bundle order. */
  List<Instant> verify(List<ByteString> timestamps, ByteString signature) {
    List<Instant> times = new ArrayList<>();
    for (ByteString token : timestamps) {
      TimestampResponse response =
          ImmutableTimestampResponse.builder().encoded(token.toByteArray()).build();
      try {
        verifier.verify(response, signature.toByteArray());
        times.add(response.getGenTime().toInstant());
      } catch (TimestampVerificationException e) {
        throw EvidenceRefused.doesNotVerify(reason(e));
      } catch (TimestampException | RuntimeException e) {
        throw EvidenceRefused.doesNotVerify("an RFC 3161 timestamp in the bundle is malformed");
      }
    }
    return List.copyOf(times);
  }

  /**
   * TimestampVerifier says why only in its message; it is mapped to our words here (and anything
   * unforeseen to the most common cause), so its text never reaches a client.
   */
  private static String reason(TimestampVerificationException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.startsWith("Failed to parse") || message.startsWith("No TimeStampToken")) {
      return "an RFC 3161 timestamp in the bundle is malformed";
    }
    if (message.contains("message imprint")) {
      return "the RFC 3161 timestamp does not cover this bundle's signature";
    }
    if (message.startsWith("Failed to validate TimeStampToken")) {
      return "the RFC 3161 timestamp's signature does not verify with its TSA's certificate at the"
          + " timestamp's time";
    }
    if (message.startsWith("Failed to validate TSA chain")) {
      return "the RFC 3161 timestamp's TSA certificate was not valid at the timestamp's time";
    }
    if (message.contains("validity period")) {
      return "the RFC 3161 timestamp's time is outside its TSA's validity in the trusted root";
    }
    return "the RFC 3161 timestamp is not from a TSA of the trusted root";
  }
}
