package org.pancat.trust;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "trust_policy")
class TrustPolicyEntity {
  @Id
  @Column(name = "facility_id")
  String facilityId;

  /** Starts at 1 and grows by one with every change; trust results name the version. */
  @Column(nullable = false)
  int version;

  /** Canonical JSON of the {@link TrustPolicy}. */
  @Column(nullable = false)
  String document;

  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  @Column(name = "updated_by", nullable = false)
  String updatedBy;
}
