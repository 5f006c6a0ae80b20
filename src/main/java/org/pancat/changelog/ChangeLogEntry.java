package org.pancat.changelog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One accepted change. Rows are only ever inserted. */
@Entity
@Table(name = "change_log")
class ChangeLogEntry {
  @Id Long seq;

  @Column(nullable = false)
  String op;

  @Column(nullable = false)
  String entity;

  @Column(name = "entity_id", nullable = false)
  String entityId;

  String version;

  @Column(nullable = false)
  String actor;

  @Column(nullable = false)
  Instant at;

  @Column(nullable = false)
  String body;
}
