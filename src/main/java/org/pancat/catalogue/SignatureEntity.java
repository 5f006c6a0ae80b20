package org.pancat.catalogue;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "artifact_signature")
class SignatureEntity {
  /** {@code sha256:<hex>} of the canonical document, so the same signature is stored once. */
  @Id String id;

  @Column(name = "artifact_id", nullable = false)
  String artifactId;

  @Column(nullable = false)
  String kind;

  @Column(nullable = false)
  String document;

  @Column(name = "attached_at", nullable = false)
  Instant attachedAt;

  @Column(name = "attached_by", nullable = false)
  String attachedBy;
}
