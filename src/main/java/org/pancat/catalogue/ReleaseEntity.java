package org.pancat.catalogue;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "software_release")
class ReleaseEntity extends Withdrawable {
  /** From a pooled sequence (see migration V10), so ids grow in publishing order. */
  @Id
  @SequenceGenerator(name = "release_id", sequenceName = "release_id_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "release_id")
  Long id;

  @Column(name = "software_id", nullable = false)
  String softwareId;

  @Column(nullable = false)
  String version;

  /** Canonical JSON of the {@link ReleaseDocument}. */
  @Column(nullable = false)
  String document;

  @Column(name = "published_at", nullable = false)
  Instant publishedAt;

  @Column(name = "published_by", nullable = false)
  String publishedBy;
}
