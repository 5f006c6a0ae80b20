package org.pancat.catalogue;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "software")
class SoftwareEntity extends Withdrawable {
  /** {@code <facility>/<slug>}. */
  @Id String id;

  @Column(name = "facility_id", nullable = false)
  String facilityId;

  @Column(nullable = false)
  String slug;

  @Column(nullable = false)
  String name;

  /** Canonical JSON of the {@link SoftwareDocument}. */
  @Column(nullable = false)
  String document;

  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @Column(name = "created_by", nullable = false)
  String createdBy;

  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  @Column(name = "updated_by", nullable = false)
  String updatedBy;

  /** The node the software was imported from (its facility's origin); null: local. */
  String origin;
}
