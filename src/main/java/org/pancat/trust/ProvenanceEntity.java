package org.pancat.trust;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "artifact_provenance")
class ProvenanceEntity {
  /** {@code sha256:<hex>} of the canonical document. */
  @Id String id;

  @Column(name = "artifact_id", nullable = false)
  String artifactId;

  @Column(name = "predicate_type", nullable = false)
  String predicateType;

  @Column(name = "builder_id")
  String builderId;

  @Column(name = "build_type")
  String buildType;

  @Column(name = "source_repository")
  String sourceRepository;

  @Column(name = "source_commit")
  String sourceCommit;

  @Column(name = "triggered_by")
  String triggeredBy;

  @Column(nullable = false)
  String document;

  /** The verified signer when the statement came in a Sigstore bundle, else null. */
  @Column(name = "signed_by")
  String signedBy;

  /** The verified signer's identity (certificate SAN or key fingerprint), else null. */
  @Column(name = "signer_identity")
  String signerIdentity;

  /** The verified signer's OIDC issuer; null for a key or an unsigned statement. */
  @Column(name = "signer_issuer")
  String signerIssuer;

  /** The verified signer, or null when the statement is an unsigned claim. */
  VerifiedSignature signer() {
    return signerIdentity == null
        ? null
        : new VerifiedSignature("sigstore-bundle", signerIdentity, signerIssuer, null, null);
  }

  @Column(name = "attached_at", nullable = false)
  Instant attachedAt;

  @Column(name = "attached_by", nullable = false)
  String attachedBy;
}
