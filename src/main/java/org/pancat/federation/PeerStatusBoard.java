package org.pancat.federation;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * What the status endpoint and the metrics show of each peer: its stored state (cursor, head,
 * counts, last success and error) as of the last refresh, which {@link PeerSync} asks for after
 * every pull.
 */
@ApplicationScoped
public class PeerStatusBoard {
  private final PeerDirectory peers;
  private final FeedApplier applier;
  private final MeterRegistry metrics;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, PeerStatus> status = new ConcurrentHashMap<>();
  // only a pull moves it, and every pull refreshes it: the lag gauge reads no database
  private final Map<String, Instant> caughtUpAt = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

  PeerStatusBoard(PeerDirectory peers, FeedApplier applier, MeterRegistry metrics) {
    this.peers = peers;
    this.applier = applier;
    this.metrics = metrics;
  }

  /** Every peer of the peers file, as stored now. */
  public List<PeerStatus> statuses() {
    refresh();
    return peers.peers().stream().map(p -> status.get(p.id())).toList();
  }

  /** The peer as of the last refresh. */
  PeerStatus status(String peerId) {
    return status.get(peerId);
  }

  /** Reads the stored peer states again (after every pull, and for the status endpoint). */
  void refresh() {
    Map<String, PeerStateEntity> states = new ConcurrentHashMap<>();
    applier.states().forEach(s -> states.put(s.id, s));
    Map<String, FeedApplier.HeldSummary> held = applier.heldSummary();
    Instant now = clock.instant();
    for (PeersFile.Peer peer : peers.peers()) {
      PeerStateEntity s = states.getOrDefault(peer.id(), PeerStateEntity.fresh(peer.id()));
      if (s.caughtUpAt != null) {
        caughtUpAt.put(peer.id(), s.caughtUpAt);
      }
      status.put(
          peer.id(),
          new PeerStatus(
              peer.id(),
              peer.name(),
              peer.baseUrl(),
              peer.pull(),
              PeerStatus.State.valueOf(s.pullState),
              peer.interval().toString(),
              s.cursor,
              s.peerHead,
              Math.max(0, s.peerHead - s.cursor),
              s.caughtUpAt == null ? null : Duration.between(s.caughtUpAt, now).toSeconds(),
              s.lastSuccessAt,
              s.lastErrorAt,
              s.lastError,
              s.applied,
              s.skipped,
              s.refusedPages,
              s.bootstrapSeq,
              held.containsKey(peer.id()) ? held.get(peer.id()).entries() : 0,
              held.containsKey(peer.id()) ? held.get(peer.id()).reason() : null,
              s.pullsFromHere));
    }
  }

  private double lagSeconds(String peerId) {
    Instant at = caughtUpAt.get(peerId);
    return at == null ? Double.NaN : Duration.between(at, clock.instant()).toSeconds();
  }

  /** The gauges and counters of one peer, read from its last status (once per peer). */
  void registerMetrics(String peerId) {
    meters.computeIfAbsent(
        peerId,
        id ->
            List.of(
                Gauge.builder(
                        "pancat.federation.peer.entries.behind",
                        status,
                        s -> value(s, id, PeerStatus::entriesBehind))
                    .tag("peer", id)
                    .description("the peer's head minus this node's cursor")
                    .register(metrics),
                Gauge.builder(
                        "pancat.federation.peer.lag.seconds", this, board -> board.lagSeconds(id))
                    .tag("peer", id)
                    .description("seconds since this node last reached the peer's head")
                    .register(metrics),
                FunctionCounter.builder(
                        "pancat.federation.peer.applied",
                        status,
                        s -> value(s, id, PeerStatus::applied))
                    .tag("peer", id)
                    .description("entries of the peer's feed applied")
                    .register(metrics),
                FunctionCounter.builder(
                        "pancat.federation.peer.refused.pages",
                        status,
                        s -> value(s, id, PeerStatus::refusedPages))
                    .tag("peer", id)
                    .description("pages of the peer's feed refused")
                    .register(metrics)));
  }

  /** A peer removed from the peers file has no metrics any more. */
  void unregisterMetrics(String peerId) {
    List<Meter> removed = meters.remove(peerId);
    if (removed != null) {
      removed.forEach(metrics::remove);
    }
    status.remove(peerId);
    caughtUpAt.remove(peerId);
  }

  private static double value(
      Map<String, PeerStatus> status, String peerId, ToLongFunction<PeerStatus> field) {
    PeerStatus s = status.get(peerId);
    return s == null ? Double.NaN : field.applyAsLong(s);
  }
}
