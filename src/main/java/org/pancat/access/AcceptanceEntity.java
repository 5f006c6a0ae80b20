package org.pancat.access;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "licence_acceptance")
class AcceptanceEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "licence_id", nullable = false)
  String licenceId;

  @Column(nullable = false)
  String version;

  @Column(nullable = false)
  String subject;

  @Column(nullable = false)
  String issuer;

  @Column(name = "accepted_at", nullable = false)
  Instant acceptedAt;
}
