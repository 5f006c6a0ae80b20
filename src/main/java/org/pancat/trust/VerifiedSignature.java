package org.pancat.trust;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a signature proved once it verified over an artifact digest: who signed (certificate
 * identity and OIDC issuer for Sigstore keyless, the key fingerprint for key pairs) and when.
 *
 * @param kind {@code sigstore-bundle} or {@code public-key}
 * @param identity certificate subject alternative name, or {@code sha256:<hex>} of the public key
 *     (key pairs, and Sigstore bundles signed with a managed key)
 * @param issuer the OIDC issuer recorded by Fulcio; null for a public key
 * @param signedAt the verified signing time: the SET-signed integrated time of the log entry, else
 *     the earliest RFC 3161 time; null for key pairs and a managed-key bundle with neither
 * @param verifiedAt when this node verified it
 */
public record VerifiedSignature(
    String kind,
    String identity,
    @Schema(nullable = true) String issuer,
    @Schema(nullable = true) Instant signedAt,
    Instant verifiedAt) {

  /** Words for reasons: "appu@google.com via https://accounts.google.com" or "key sha256:…". */
  public String describe() {
    return issuer == null ? "key " + identity : identity + " via " + issuer;
  }
}
