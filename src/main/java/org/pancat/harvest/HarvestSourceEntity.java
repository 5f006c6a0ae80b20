package org.pancat.harvest;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "harvest_source")
class HarvestSourceEntity {
  @Id String id;

  @Column(name = "facility_id", nullable = false)
  String facilityId;

  @Column(nullable = false)
  String kind;

  @Column(nullable = false)
  String document;

  @Column(name = "last_state")
  String lastState;

  @Column(name = "next_run_at")
  Instant nextRunAt;

  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  @Column(name = "updated_by", nullable = false)
  String updatedBy;
}
