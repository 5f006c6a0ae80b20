package org.pancat.catalogue;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "facility")
class FacilityEntity {
  @Id String id;

  @Column(nullable = false)
  String name;

  /** Canonical JSON of the {@link FacilityDocument}. */
  @Column(nullable = false)
  String document;

  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  /** The peer node this facility was imported from and that alone may change it; null: local. */
  String origin;
}
