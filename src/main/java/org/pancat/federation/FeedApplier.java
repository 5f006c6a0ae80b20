package org.pancat.federation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.changelog.ImportOutcome;
import org.pancat.changelog.Importer;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.EntityKind;

/**
 * Applies a verified feed page of one peer: every entry and the peer's cursor in one transaction,
 * so a crash re-applies a page and never skips one, and a refused page changes nothing.
 *
 * <p>Entries are keyed by (origin, entity, id, version, item). One that this node already holds at
 * the same or a newer origin position arrived by another path and is skipped; a peer serving an
 * origin's entries going back (an older version after a newer one, a replay) is refused whole.
 */
@ApplicationScoped
class FeedApplier {
  /** Held entries kept of one peer at the most; a page that would hold more is refused. */
  static final int MAX_HELD_PER_PEER = 100_000;

  private final EntityManager em;
  private final ChangeLog changeLog;
  private final List<Importer> importers;
  private final CanonicalJson json;
  private final PeerDirectory peers;
  private final Clock clock = Clock.systemUTC();

  FeedApplier(
      EntityManager em,
      ChangeLog changeLog,
      @Any Instance<Importer> importers,
      CanonicalJson json,
      PeerDirectory peers) {
    this.em = em;
    this.changeLog = changeLog;
    this.importers = importers.stream().toList();
    this.json = json;
    this.peers = peers;
    Map<EntityKind, Importer> owners = new EnumMap<>(EntityKind.class);
    for (Importer importer : this.importers) {
      for (EntityKind kind : importer.kinds()) {
        if (owners.put(kind, importer) != null) {
          throw new IllegalStateException("two importers take " + kind + " changes");
        }
      }
    }
  }

  /** What one page did. {@code lastSkip} says why the last skipped entry was left out. */
  record Applied(int applied, int skipped, String lastSkip) {}

  /** The peer's cursor (creating its state on first contact). */
  @Transactional
  long cursor(String peerId) {
    return state(peerId).cursor;
  }

  @Transactional(rollbackOn = FeedRejected.class)
  Applied apply(PeersFile.Peer peer, FeedVerifier.Verified verified) throws FeedRejected {
    FeedPage page = verified.page();
    PeerStateEntity state = state(peer.id());
    if (state.cursor != page.after()) {
      throw new FeedRejected(
          "page answers cursor " + page.after() + " but this node is at " + state.cursor);
    }
    // an origin with entries on hold keeps its order: its later entries wait behind them
    Map<String, String> held = new HashMap<>(verified.heldOrigins());
    heldOrigins(peer.id())
        .forEach(origin -> held.putIfAbsent(origin, "waits behind held entries of " + origin));
    List<FeedEntry> applicable = new ArrayList<>();
    long holding = -1; // counted only when this page holds something: not a query per page
    for (FeedEntry entry : page.entries()) {
      // an origin this peer may not send, or no node id at all, is skipped as ever, not held
      boolean holdable =
          PeersFile.isNodeId(entry.origin()) && peer.importPolicy().acceptsOrigin(entry.origin());
      if (held.containsKey(entry.origin()) && !holdable) {
        state.skipped++; // unverified, and never to be imported from this peer: left out
      } else if (held.containsKey(entry.origin())) {
        if (holding < 0) {
          holding = heldCount(peer.id());
        }
        if (++holding > MAX_HELD_PER_PEER) {
          throw new FeedRejected(
              "more than "
                  + MAX_HELD_PER_PEER
                  + " entries of this peer are held (origins it relays cannot be verified here):"
                  + " pin or vouch for them, or stop importing them");
        }
        hold(peer.id(), entry, held.get(entry.origin()), page.originKeys().get(entry.origin()));
      } else {
        applicable.add(entry);
      }
    }
    Applied result = importAll(peer, state, applicable, inOriginOrder(peer.id()));
    state.cursor = page.next();
    state.peerHead = page.head();
    state.pullState = PeerStatus.State.ok.name();
    state.lastSuccessAt = clock.instant();
    if (page.next() >= page.head()) {
      state.caughtUpAt = state.lastSuccessAt;
    }
    return result;
  }

  /**
   * Applies entries held earlier that now verify, in the peer's order, and forgets them; the cursor
   * does not move (it moved past them when they were held).
   */
  @Transactional(rollbackOn = FeedRejected.class)
  Applied release(PeersFile.Peer peer, List<FeedEntry> verified, List<FeedEntry> forged)
      throws FeedRejected {
    // an entry that goes back in its origin's sequence (a replay held behind others) is dropped
    // here, not refused: nothing the peer sends later could clear it
    Map<String, PeerOriginEntity> served = servedOrigins(peer.id());
    List<FeedEntry> inOrder = new ArrayList<>();
    Map<String, Long> last = new HashMap<>();
    for (FeedEntry entry : verified) {
      long mark =
          last.getOrDefault(
              entry.origin(),
              served.containsKey(entry.origin()) ? served.get(entry.origin()).originSeq : 0L);
      if (entry.originSeq() > mark) {
        inOrder.add(entry);
        last.put(entry.origin(), entry.originSeq());
      }
    }
    Applied result = importAll(peer, state(peer.id()), inOrder, inOriginOrder(peer.id()));
    for (List<FeedEntry> done : List.of(verified, forged)) {
      for (FeedEntry entry : done) {
        HeldEntryEntity row = em.find(HeldEntryEntity.class, key(peer.id(), entry.seq()));
        if (row != null) {
          em.remove(row);
        }
      }
    }
    return result;
  }

  /** An entry on hold, with the origin's keys the relay carried with it (JSON, or null). */
  record Held(FeedEntry entry, String carriedKeys) {}

  /** The entries of the peer on hold, in its order. */
  @Transactional
  List<Held> held(String peerId) {
    return em
        .createQuery(
            "from HeldEntryEntity h where h.peerId = :peer order by h.seq", HeldEntryEntity.class)
        .setParameter("peer", peerId)
        .getResultList()
        .stream()
        .map(h -> new Held(json.read(h.entry, FeedEntry.class), h.originKeys))
        .toList();
  }

  /** How many entries of each peer are on hold, and why the first of them is. */
  record HeldSummary(long entries, String reason) {}

  @Transactional
  Map<String, HeldSummary> heldSummary() {
    Map<String, HeldSummary> summary = new HashMap<>();
    for (Object[] row :
        em.createQuery(
                "select h.peerId, count(h), min(h.seq) from HeldEntryEntity h group by h.peerId",
                Object[].class)
            .getResultList()) {
      HeldEntryEntity first = em.find(HeldEntryEntity.class, key((String) row[0], (Long) row[2]));
      summary.put(
          (String) row[0], new HeldSummary((Long) row[1], first == null ? null : first.reason));
    }
    return summary;
  }

  private long heldCount(String peerId) {
    return em.createQuery(
            "select count(h) from HeldEntryEntity h where h.peerId = :peer", Long.class)
        .setParameter("peer", peerId)
        .getSingleResult();
  }

  private List<String> heldOrigins(String peerId) {
    return em.createQuery(
            "select distinct h.origin from HeldEntryEntity h where h.peerId = :peer", String.class)
        .setParameter("peer", peerId)
        .getResultList();
  }

  private void hold(
      String peerId, FeedEntry entry, String reason, Map<String, Object> carriedKeys) {
    if (em.find(HeldEntryEntity.class, key(peerId, entry.seq())) != null) {
      return;
    }
    HeldEntryEntity row = new HeldEntryEntity();
    row.peerId = peerId;
    row.seq = entry.seq();
    row.origin = entry.origin();
    row.entry = json.write(entry);
    row.reason = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
    row.heldAt = clock.instant();
    row.originKeys = carriedKeys == null ? null : json.write(carriedKeys);
    em.persist(row);
  }

  private static HeldEntryEntity.Key key(String peerId, long seq) {
    HeldEntryEntity.Key key = new HeldEntryEntity.Key();
    key.peerId = peerId;
    key.seq = seq;
    return key;
  }

  /** Refuses an origin's entries going back (an older version after a newer one, a replay). */
  private EntryCheck inOriginOrder(String peerId) {
    Map<String, PeerOriginEntity> served = servedOrigins(peerId);
    return entry -> {
      PeerOriginEntity mark =
          served.computeIfAbsent(entry.origin(), origin -> newMark(peerId, origin));
      if (entry.originSeq() <= mark.originSeq) {
        throw new FeedRejected(
            "entry "
                + entry.seq()
                + " goes back in "
                + entry.origin()
                + "'s sequence ("
                + entry.originSeq()
                + " after "
                + mark.originSeq
                + "): an older version or a replay");
      }
      mark.originSeq = entry.originSeq();
    };
  }

  /**
   * Applies part of a verified snapshot of a peer this node has never pulled. Parts come in
   * dependency order (see {@link #SNAPSHOT_ORDER}), not in sequence, so origin positions are not
   * checked entry by entry: the snapshot's signed trailer covers them all. The cursor stays at 0
   * until the last part, which moves it to the snapshot's seq with every origin's newest position;
   * a crash part-way makes the next pull start the snapshot again, skipping what is already here.
   *
   * @param done on the last part: the snapshot's seq and the newest position of each origin in it
   */
  @Transactional(rollbackOn = FeedRejected.class)
  Applied applySnapshotPart(
      PeersFile.Peer peer,
      List<FeedEntry> part,
      FeedVerifier.Snapshot done,
      Map<String, Long> marks)
      throws FeedRejected {
    PeerStateEntity state = state(peer.id());
    if (state.cursor != 0) {
      throw new FeedRejected(
          "a snapshot is only for a peer never pulled; this node is at " + state.cursor);
    }
    Applied result = importAll(peer, state, part, entry -> {});
    if (done != null) {
      Map<String, PeerOriginEntity> served = servedOrigins(peer.id());
      marks.forEach(
          (origin, seq) -> {
            PeerOriginEntity mark = served.computeIfAbsent(origin, o -> newMark(peer.id(), o));
            mark.originSeq = Math.max(mark.originSeq, seq);
          });
      state.cursor = done.seq();
      state.peerHead = done.seq();
      state.bootstrapSeq = done.seq();
      state.pullState = PeerStatus.State.ok.name();
      state.lastSuccessAt = clock.instant();
      state.caughtUpAt = state.lastSuccessAt;
    }
    return result;
  }

  /**
   * What a snapshot entry needs before it can be applied comes first: compaction keeps only the
   * newest entry of each key, so software changed after its release was published now sits after
   * that release in the snapshot. Within a kind, sequence order.
   */
  static final Comparator<FeedEntry> SNAPSHOT_ORDER =
      Comparator.comparingInt(
              (FeedEntry e) ->
                  EntityKind.ofWireName(e.entity())
                      .map(EntityKind::ordinal)
                      .orElse(EntityKind.values().length))
          .thenComparingLong(FeedEntry::seq);

  /** Checked before each entry is imported; a refusal rolls the whole page back. */
  private interface EntryCheck {
    void check(Change entry) throws FeedRejected;
  }

  /**
   * Imports verified entries in order, with the rows they are about read up front, and counts them
   * on the peer's state.
   */
  private Applied importAll(
      PeersFile.Peer peer, PeerStateEntity state, List<FeedEntry> entries, EntryCheck check)
      throws FeedRejected {
    List<Change> changes = entries.stream().map(FeedEntry::toChange).toList();
    Map<String, Long> held = changeLog.latestOriginSeqs(changes);
    ImportFilter filter = peers.filter(peer);
    Map<EntityKind, Importer.Batch> batches = new EnumMap<>(EntityKind.class);
    for (Importer importer : importers) {
      Importer.Batch batch = importer.begin(changes, filter);
      importer.kinds().forEach(kind -> batches.put(kind, batch));
    }
    int applied = 0;
    int skipped = 0;
    String lastSkip = null;
    for (Change entry : changes) {
      check.check(entry);
      ImportOutcome outcome = importOne(peer, batches, entry, held);
      if (outcome.applied()) {
        applied++;
      } else {
        skipped++;
        lastSkip = outcome.reason();
      }
    }
    state.applied += applied;
    state.skipped += skipped;
    return new Applied(applied, skipped, lastSkip);
  }

  private ImportOutcome importOne(
      PeersFile.Peer peer,
      Map<EntityKind, Importer.Batch> batches,
      Change change,
      Map<String, Long> held) {
    if (peers.selfId().equals(change.origin())) {
      return ImportOutcome.skipped("made here");
    }
    if (!peer.importPolicy().acceptsOrigin(change.origin())) {
      return ImportOutcome.skipped(
          "origin " + change.origin() + " is not imported from " + peer.id());
    }
    String key =
        ChangeLog.key(
            change.origin(), change.entity(), change.id(), change.version(), change.item());
    if (held.getOrDefault(key, 0L) >= change.originSeq()) {
      return ImportOutcome.skipped("already here (by another path)");
    }
    Importer.Batch batch = change.kind().map(batches::get).orElse(null);
    if (batch == null) {
      return ImportOutcome.skipped("entity " + change.entity() + " is not imported");
    }
    ImportOutcome outcome = batch.apply(change);
    if (outcome.applied()) {
      changeLog.appendImported(change, json.write(change.body()));
      held.put(key, change.originSeq());
    }
    return outcome;
  }

  /**
   * Records a refused page, an unreachable peer or a failed apply; nothing of the page was applied.
   *
   * @param peerHead the head the refused page claimed (unverified: shown, never trusted), if any
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void recordFailure(String peerId, PeerStatus.State kind, String reason, OptionalLong peerHead) {
    PeerStateEntity state = state(peerId);
    state.pullState = kind.name();
    state.lastError = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
    state.lastErrorAt = clock.instant();
    peerHead.ifPresent(head -> state.peerHead = head);
    if (kind == PeerStatus.State.refusing) {
      state.refusedPages++;
    }
  }

  /** Records that the peer reads this node's feed; true when that is news. */
  @Transactional
  boolean recordPuller(String peerId) {
    PeerStateEntity state = state(peerId);
    if (state.pullsFromHere) {
      return false;
    }
    state.pullsFromHere = true;
    return true;
  }

  @Transactional
  List<PeerStateEntity> states() {
    return em.createQuery("from PeerStateEntity p order by p.id", PeerStateEntity.class)
        .getResultList();
  }

  private PeerStateEntity state(String peerId) {
    PeerStateEntity state = em.find(PeerStateEntity.class, peerId, LockModeType.PESSIMISTIC_WRITE);
    if (state == null) {
      state = PeerStateEntity.fresh(peerId);
      em.persist(state);
    }
    return state;
  }

  private Map<String, PeerOriginEntity> servedOrigins(String peerId) {
    Map<String, PeerOriginEntity> marks = new HashMap<>();
    em.createQuery("from PeerOriginEntity o where o.peerId = :peer", PeerOriginEntity.class)
        .setParameter("peer", peerId)
        .getResultList()
        .forEach(o -> marks.put(o.origin, o));
    return marks;
  }

  private PeerOriginEntity newMark(String peerId, String origin) {
    PeerOriginEntity mark = new PeerOriginEntity();
    mark.peerId = peerId;
    mark.origin = origin;
    em.persist(mark);
    return mark;
  }
}
