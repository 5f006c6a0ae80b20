package org.pancat.access;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "access_audit")
class AuditEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false)
  Instant at;

  @Column(nullable = false)
  String actor;

  @Column(nullable = false)
  String action;

  @Column(nullable = false)
  String target;

  @Column(nullable = false)
  String detail;
}
