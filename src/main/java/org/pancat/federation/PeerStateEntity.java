package org.pancat.federation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** How far this node has pulled one peer, and how the last pulls went. */
@Entity
@Table(name = "federation_peer")
class PeerStateEntity {
  @Id String id;

  /** The peer's seq this node has applied up to: the next pull asks for what follows. */
  @Column(name = "cursor_seq", nullable = false)
  long cursor;

  /** How the last pull went (see {@link PeerStatus.State}). */
  @Column(name = "pull_state", nullable = false)
  String pullState = PeerStatus.State.ok.name();

  /** Whether the peer reads this node's feed, so it is notified of new changes. */
  @Column(name = "pulls_from_here", nullable = false)
  boolean pullsFromHere;

  /** The peer's newest seq as of the last page it served, applied or refused. */
  @Column(name = "peer_head", nullable = false)
  long peerHead;

  /** The peer's pinned public keys (JWK set JSON) as last fetched, for when it is unreachable. */
  String jwks;

  @Column(name = "last_success_at")
  Instant lastSuccessAt;

  @Column(name = "last_error_at")
  Instant lastErrorAt;

  @Column(name = "last_error")
  String lastError;

  /** When the peer served the last page that brought this node up to its head. */
  @Column(name = "caught_up_at")
  Instant caughtUpAt;

  /**
   * The seq of the snapshot this node started pulling the peer from; null from the feed's start.
   */
  @Column(name = "bootstrap_seq")
  Long bootstrapSeq;

  @Column(nullable = false)
  long applied;

  @Column(nullable = false)
  long skipped;

  @Column(name = "refused_pages", nullable = false)
  long refusedPages;

  static PeerStateEntity fresh(String id) {
    PeerStateEntity state = new PeerStateEntity();
    state.id = id;
    return state;
  }
}
