package org.pancat.resolve;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "compute_resource")
class ComputeResourceEntity {
  @Id String id;

  @Column(name = "facility_id", nullable = false)
  String facilityId;

  /** Canonical JSON of the normalised {@link ComputeResourceDocument}. */
  @Column(nullable = false)
  String document;

  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  @Column(name = "updated_by", nullable = false)
  String updatedBy;
}
