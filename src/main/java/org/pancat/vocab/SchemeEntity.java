package org.pancat.vocab;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "vocab_scheme")
class SchemeEntity {
  static final String SHIPPED = "shipped";
  static final String ADMIN = "admin";

  @Id String id;

  @Column(nullable = false)
  String iri;

  @Column(nullable = false)
  int revision;

  @Column(name = "source_version", nullable = false)
  String sourceVersion;

  /** {@link #SHIPPED} schemes follow the files the node ships; {@link #ADMIN} ones are kept. */
  @Column(nullable = false)
  String origin;

  @Column(nullable = false)
  String turtle;

  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  @Column(name = "updated_by", nullable = false)
  String updatedBy;
}
