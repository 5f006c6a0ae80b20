package org.pancat.changelog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One accepted change. Rows are only ever inserted (and this node's own signed once). */
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

  /** What the change is about when id and version do not say it (a signature, a statement). */
  @Column(nullable = false)
  String item = "";

  /** The node that made the change; null for this node. */
  String origin;

  @Column(name = "origin_seq")
  Long originSeq;

  /** The origin node's JWS over the change as it travels (see the federation feed). */
  @Column(name = "origin_sig")
  String originSig;
}
