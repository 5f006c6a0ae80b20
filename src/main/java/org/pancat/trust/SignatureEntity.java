package org.pancat.trust;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "artifact_signature")
class SignatureEntity {
  /** What verification proved, or null for a row attached before verification existed. */
  VerifiedSignature verified() {
    return verifiedAt == null
        ? null
        : new VerifiedSignature(kind, signerIdentity, signerIssuer, signedAt, verifiedAt);
  }

  /** {@code sha256:<hex>} of the canonical document, so the same signature is stored once. */
  @Id String id;

  @Column(name = "artifact_id", nullable = false)
  String artifactId;

  @Column(nullable = false)
  String kind;

  @Column(nullable = false)
  String document;

  /** Certificate identity, or the key fingerprint; null for rows attached before verification. */
  @Column(name = "signer_identity")
  String signerIdentity;

  @Column(name = "signer_issuer")
  String signerIssuer;

  @Column(name = "signed_at")
  Instant signedAt;

  @Column(name = "verified_at")
  Instant verifiedAt;

  @Column(name = "attached_at", nullable = false)
  Instant attachedAt;

  @Column(name = "attached_by", nullable = false)
  String attachedBy;
}
