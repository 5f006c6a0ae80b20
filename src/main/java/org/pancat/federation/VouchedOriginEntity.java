package org.pancat.federation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An origin pinned because a peer this node lets vouch vouched for it. */
@Entity
@Table(name = "federation_vouched_origin")
class VouchedOriginEntity {
  @Id String origin;

  /** The pinned key fingerprints, comma-separated. */
  @Column(nullable = false)
  String fingerprints;

  @Column(name = "vouched_by", nullable = false)
  String vouchedBy;

  @Column(name = "learned_at", nullable = false)
  Instant learnedAt;

  /** The origin's public keys as last learnt (JWK set JSON), or null. */
  String jwks;
}
