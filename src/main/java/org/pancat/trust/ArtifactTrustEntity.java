package org.pancat.trust;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "artifact_trust")
class ArtifactTrustEntity {
  @Id
  @Column(name = "artifact_id")
  String artifactId;

  @Column(name = "trust_class", nullable = false)
  String trustClass;

  @Column(name = "policy_version")
  Integer policyVersion;

  /** Canonical JSON of the {@link TrustResult}. */
  @Column(nullable = false)
  String document;

  @Column(name = "evaluated_at", nullable = false)
  Instant evaluatedAt;
}
