package org.pancat.federation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** An entry of a peer's feed held until its origin can be verified here. */
@Entity
@Table(name = "federation_held_entry")
@IdClass(HeldEntryEntity.Key.class)
class HeldEntryEntity {
  /** The primary key: the peer and its seq of the entry. */
  static class Key implements Serializable {
    String peerId;
    long seq;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.peerId.equals(peerId) && k.seq == seq;
    }

    @Override
    public int hashCode() {
      return Objects.hash(peerId, seq);
    }
  }

  @Id
  @Column(name = "peer_id")
  String peerId;

  /** The serving peer's seq of the entry. */
  @Id long seq;

  @Column(nullable = false)
  String origin;

  /** The feed entry as served (JSON), origin signature included. */
  @Column(nullable = false)
  String entry;

  @Column(nullable = false)
  String reason;

  /** The origin's keys the relaying peer carried with the entry (JWK set JSON), or null. */
  @Column(name = "origin_keys")
  String originKeys;

  @Column(name = "held_at", nullable = false)
  Instant heldAt;
}
