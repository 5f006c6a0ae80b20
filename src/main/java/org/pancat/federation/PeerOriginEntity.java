package org.pancat.federation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** The newest position of one origin's log a peer has served this node. */
@Entity
@Table(name = "federation_peer_origin")
@IdClass(PeerOriginEntity.Key.class)
class PeerOriginEntity {
  @Id
  @Column(name = "peer_id")
  String peerId;

  @Id String origin;

  @Column(name = "origin_seq", nullable = false)
  long originSeq;

  static class Key implements Serializable {
    String peerId;
    String origin;

    Key() {}

    Key(String peerId, String origin) {
      this.peerId = peerId;
      this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && peerId.equals(k.peerId) && origin.equals(k.origin);
    }

    @Override
    public int hashCode() {
      return Objects.hash(peerId, origin);
    }
  }
}
