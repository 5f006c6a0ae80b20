package org.pancat.access;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "licence")
class LicenceEntity {
  @Id String id;

  @Column(nullable = false)
  String version;

  /** Canonical JSON of the {@link LicenceDocument}. */
  @Column(nullable = false)
  String document;

  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  @Column(name = "updated_by", nullable = false)
  String updatedBy;

  /** The node the licence was imported from; null: published on this node. */
  String origin;
}
