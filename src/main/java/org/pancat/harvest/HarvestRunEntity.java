package org.pancat.harvest;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "harvest_run")
class HarvestRunEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "source_id", nullable = false)
  String sourceId;

  @Column(nullable = false)
  String state;

  @Column(name = "trigger_kind", nullable = false)
  String trigger;

  @Column(name = "started_at", nullable = false)
  Instant startedAt;

  @Column(name = "finished_at")
  Instant finishedAt;

  @Column(name = "items_total")
  Integer itemsTotal;

  @Column(name = "items_done", nullable = false)
  int itemsDone;

  @Column(nullable = false)
  int added;

  @Column(nullable = false)
  int updated;

  @Column(nullable = false)
  int unchanged;

  @Column(nullable = false)
  int refused;

  @Column(nullable = false)
  int skipped;

  @Column(nullable = false)
  int gone;

  @Column(nullable = false)
  int withdrawn;

  @Column(nullable = false)
  int requests;

  String reason;

  String report;

  @Column(name = "running_source")
  String runningSource;
}
