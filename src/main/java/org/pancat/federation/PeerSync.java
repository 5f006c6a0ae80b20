package org.pancat.federation;

import com.nimbusds.jose.jwk.JWKSet;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;
import org.pancat.access.AccessPolicy;
import org.pancat.changelog.ChangeAppended;

/**
 * Pulls peers: on each peer's interval, when asked ({@code POST /federation/peers/{id}/sync}), and
 * when the peer notifies that it has news. One pull of a peer runs at a time; it fetches pages
 * until it reaches the peer's head, verifying each before applying it. After every commit this node
 * notifies its peers, so a change travels in seconds. What each peer looks like afterwards is
 * {@link PeerStatusBoard}'s.
 */
@ApplicationScoped
public class PeerSync {
  private static final Logger LOG = Logger.getLogger(PeerSync.class);
  private static final int MAX_PAGES_PER_PULL = 1000;

  private final PeerDirectory peers;
  private final PeerClient client;
  private final FeedApplier applier;
  private final FederationConfig config;
  private final PeerStatusBoard board;
  private final AccessPolicy access;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  // pages of different peers often carry the same relayed entries: apply one page at a time
  private final ReentrantLock applying = new ReentrantLock();
  private final Map<String, AtomicBoolean> queued = new ConcurrentHashMap<>();
  private final AtomicBoolean notifyQueued = new AtomicBoolean();
  private volatile boolean stopping;
  private final Map<String, ScheduledFuture<?>> schedules = new HashMap<>();
  // the head the last page fetched of each peer claimed, for the status of a refused one
  private final Map<String, Long> claimedHeads = new ConcurrentHashMap<>();
  // peers that read this node's feed: only they are notified of new changes
  private final Set<String> pullers = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService pulls;
  private ScheduledExecutorService notifications;
  private ExecutorService readAhead;

  PeerSync(
      PeerDirectory peers,
      PeerClient client,
      FeedApplier applier,
      FederationConfig config,
      PeerStatusBoard board,
      AccessPolicy access) {
    this.peers = peers;
    this.access = access;
    this.client = client;
    this.applier = applier;
    this.config = config;
    this.board = board;
  }

  void start(@Observes @Priority(30) StartupEvent event) {
    pulls = Executors.newScheduledThreadPool(2, daemon("federation-pull"));
    notifications = Executors.newSingleThreadScheduledExecutor(daemon("federation-notify"));
    readAhead = Executors.newFixedThreadPool(2, daemon("federation-read-ahead"));
    board.refresh();
    applier.states().stream().filter(s -> s.pullsFromHere).forEach(s -> pullers.add(s.id));
    for (PeersFile.Peer peer : peers.peers()) {
      peers.filter(peer); // an import policy naming an unknown technique stops the node
      schedule(peer);
    }
    long check = config.peersFileCheck().toMillis();
    if (check > 0) {
      pulls.scheduleWithFixedDelay(this::checkPeersFile, check, check, TimeUnit.MILLISECONDS);
    }
  }

  private void checkPeersFile() {
    try {
      peers.reloadIfChanged();
    } catch (RuntimeException e) {
      LOG.errorf(e, "federation: checking the peers file failed");
    }
  }

  /** Pulls of the peer on its interval, and its metrics. */
  private synchronized void schedule(PeersFile.Peer peer) {
    board.registerMetrics(peer.id());
    if (peer.pull()) {
      long every = peer.interval().toMillis();
      schedules.put(
          peer.id(),
          pulls.scheduleWithFixedDelay(
              () -> request(peer.id()), Math.min(every, 1000), every, TimeUnit.MILLISECONDS));
    }
  }

  /** A reloaded peers file: removed peers stop being pulled, added and changed ones start anew. */
  synchronized void onPeersChanged(@Observes PeersChanged changed) {
    if (pulls == null) {
      return;
    }
    for (String id : changed.peers()) {
      ScheduledFuture<?> running = schedules.remove(id);
      if (running != null) {
        running.cancel(false);
      }
      Optional<PeersFile.Peer> peer = peers.peer(id);
      if (peer.isPresent()) {
        schedule(peer.get());
      } else {
        board.unregisterMetrics(id);
        pullers.remove(id);
      }
    }
    board.refresh();
  }

  /**
   * Stops pulling before the database closes (this observer runs early): no page starts after this,
   * one being applied finishes (its transaction commits or rolls back whole), and the next start
   * goes on from the stored cursor.
   */
  void stop(@Observes @Priority(10) ShutdownEvent event) throws InterruptedException {
    stopping = true;
    if (pulls != null) {
      // no interrupts: an interrupted thread in the middle of H2's file I/O closes the database
      pulls.shutdown();
      notifications.shutdown();
      readAhead.shutdown();
      if (!pulls.awaitTermination(20, TimeUnit.SECONDS)) {
        LOG.warn("federation: a pull still runs at shutdown; the next start resumes it");
      }
    }
  }

  /** Pulls the peer now and returns its status afterwards (the caller waits). */
  public PeerStatus syncNow(String peerId) {
    PeersFile.Peer peer = peers.peer(peerId).orElseThrow();
    pull(peer);
    return board.status(peerId);
  }

  /** Queues a pull of the peer (a notification, the schedule); repeated requests coalesce. */
  public void request(String peerId) {
    PeersFile.Peer peer = peers.peer(peerId).orElse(null);
    if (peer == null || !peer.pull() || pulls == null || stopping) {
      return;
    }
    AtomicBoolean flag = queued.computeIfAbsent(peerId, id -> new AtomicBoolean());
    if (flag.compareAndSet(false, true)) {
      pulls.execute(
          () -> {
            flag.set(false);
            pull(peer);
          });
    }
  }

  /**
   * Fetches, verifies and applies pages until the peer's head; failures are recorded on it. The
   * next page is fetched and verified while the current one is applied (a refused or failed page
   * drops the one read ahead).
   */
  private void pull(PeersFile.Peer peer) {
    ReentrantLock lock = locks.computeIfAbsent(peer.id(), id -> new ReentrantLock());
    lock.lock();
    CompletableFuture<FeedVerifier.Verified> ahead = null;
    try {
      long cursor = applier.cursor(peer.id());
      if (cursor == 0 && config.bootstrapFromSnapshot()) {
        cursor = bootstrap(peer);
      }
      releaseHeld(peer);
      ahead = fetch(peer, cursor);
      for (int pages = 0; pages < MAX_PAGES_PER_PULL && !stopping; pages++) {
        if (!peers.peer(peer.id()).equals(Optional.of(peer))) {
          break; // the peers file changed this peer: the next pull follows the new entry
        }
        FeedVerifier.Verified verified = awaitPage(ahead);
        FeedPage page = verified.page();
        boolean last = page.entries().isEmpty() || page.next() >= page.head();
        ahead = last ? null : fetch(peer, page.next());
        long t0 = System.nanoTime();
        applying.lock();
        try {
          applier.apply(peer, verified);
        } finally {
          applying.unlock();
        }
        LOG.debugf(
            "federation: %s page after %d, %d entries: applied in %d ms",
            peer.id(), page.after(), page.entries().size(), (System.nanoTime() - t0) / 1_000_000);
        if (last) {
          break;
        }
      }
    } catch (FeedRejected e) {
      LOG.warnf("federation: page of peer %s refused: %s", peer.id(), e.getMessage());
      Long claimed = claimedHeads.get(peer.id());
      applier.recordFailure(
          peer.id(),
          PeerStatus.State.refusing,
          "refused: " + e.getMessage(),
          claimed == null ? OptionalLong.empty() : OptionalLong.of(claimed));
    } catch (PeerClient.PeerUnreachable e) {
      LOG.debugf("federation: pull of %s failed: %s", peer.id(), e.getMessage());
      applier.recordFailure(
          peer.id(), PeerStatus.State.unreachable, e.getMessage(), OptionalLong.empty());
    } catch (RuntimeException e) {
      if (stopping) {
        // the node is stopping under this pull: nothing of the page was committed
        LOG.debugf("federation: pull of %s stopped by shutdown", peer.id());
        return;
      }
      LOG.errorf(e, "federation: pull of %s failed", peer.id());
      applier.recordFailure(
          peer.id(),
          PeerStatus.State.failing,
          "applying failed on this node; see its log",
          OptionalLong.empty());
    } finally {
      if (ahead != null) {
        ahead.cancel(false);
      }
      lock.unlock();
      if (!stopping) {
        board.refresh();
      }
    }
  }

  /**
   * Starts a peer never pulled from its snapshot (the newest entry of every key, so fewer than its
   * whole feed), verified whole, then applied in parts of the page size in dependency order; the
   * last part moves the cursor to the snapshot's seq. Returns the cursor to pull the feed from.
   */
  private long bootstrap(PeersFile.Peer peer) throws FeedRejected, PeerClient.PeerUnreachable {
    long t0 = System.nanoTime();
    List<String> lines = client.snapshot(peer);
    for (String origin : FeedVerifier.relayedOrigins(lines, peer.id())) {
      if (peers.keysOf(origin) == null && !peers.learnVouched(origin, peer)) {
        // a snapshot verifies whole: its feed from the start holds that origin's entries instead
        LOG.infof(
            "federation: %s's snapshot has entries of origin %s, unknown here: pulling its feed"
                + " from the start instead",
            peer.id(), origin);
        return 0;
      }
    }
    Set<String> pins = Set.copyOf(peer.keys());
    FeedVerifier.Snapshot snapshot =
        withKeysLearnt(() -> FeedVerifier.verifySnapshot(lines, peer.id(), pins, peers::keysOf));
    if (snapshot.seq() == 0) {
      return 0; // an empty log: its feed starts where the snapshot would
    }
    List<FeedEntry> entries = new ArrayList<>(snapshot.entries());
    entries.sort(FeedApplier.SNAPSHOT_ORDER);
    Map<String, Long> marks = new HashMap<>();
    entries.forEach(e -> marks.merge(e.origin(), e.originSeq(), Math::max));
    int size = config.pageSize();
    int from = 0;
    do {
      List<FeedEntry> part = entries.subList(from, Math.min(entries.size(), from + size));
      from += size;
      boolean last = from >= entries.size();
      applying.lock();
      try {
        applier.applySnapshotPart(peer, part, last ? snapshot : null, marks);
      } finally {
        applying.unlock();
      }
    } while (from < entries.size());
    LOG.infof(
        "federation: %s bootstrapped from its snapshot at %d (%d entries) in %d ms",
        peer.id(), snapshot.seq(), entries.size(), (System.nanoTime() - t0) / 1_000_000);
    return snapshot.seq();
  }

  /** Fetches and verifies the page after {@code cursor} on the read-ahead thread. */
  private CompletableFuture<FeedVerifier.Verified> fetch(PeersFile.Peer peer, long cursor) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            long t0 = System.nanoTime();
            String served = client.changes(peer, cursor, config.pageSize());
            FeedVerifier.claimedHead(served).ifPresent(head -> claimedHeads.put(peer.id(), head));
            long t1 = System.nanoTime();
            FeedVerifier.Verified page = verified(peer, served, cursor);
            LOG.debugf(
                "federation: %s page after %d: fetched in %d ms, verified in %d ms",
                peer.id(), cursor, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
            return page;
          } catch (FeedRejected | PeerClient.PeerUnreachable e) {
            throw new CompletionException(e);
          }
        },
        readAhead);
  }

  private static FeedVerifier.Verified awaitPage(CompletableFuture<FeedVerifier.Verified> page)
      throws FeedRejected, PeerClient.PeerUnreachable {
    try {
      return page.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof FeedRejected rejected) {
        throw rejected;
      }
      if (e.getCause() instanceof PeerClient.PeerUnreachable unreachable) {
        throw unreachable;
      }
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }

  /**
   * Verifies a page against the peer's pins and the keys known for it and its origins (and the
   * pinned ones among those the page carries); entries of origins that cannot be verified yet are
   * for the applier to hold.
   */
  private FeedVerifier.Verified verified(PeersFile.Peer peer, String jws, long cursor)
      throws FeedRejected {
    Set<String> pins = Set.copyOf(peer.keys());
    Verification<FeedVerifier.Verified> verification =
        () ->
            FeedVerifier.verifyHolding(
                jws, peer.id(), pins, peers::keysOf, peers::acceptCarried, cursor);
    FeedVerifier.Verified verified = withKeysLearnt(verification);
    boolean vouched = false;
    for (String origin : verified.heldOrigins().keySet()) {
      if (peers.peer(origin).isEmpty() && peer.vouchesForOrigins()) {
        vouched |= peers.learnVouched(origin, peer);
      }
    }
    if (vouched) {
      verified = withKeysLearnt(verification);
    }
    if (!verified.heldOrigins().isEmpty()) {
      LOG.infof(
          "federation: %s page after %d: entries of %s held: %s",
          peer.id(), cursor, verified.heldOrigins().keySet(), verified.heldOrigins().values());
      verified.heldOrigins().keySet().forEach(peers::refresh);
    }
    return verified;
  }

  /**
   * Applies the peer's held entries whose origins now verify (a key was pinned or learnt since), in
   * the peer's order; an origin's entries stay held from its first that still does not verify.
   */
  private void releaseHeld(PeersFile.Peer peer) throws FeedRejected {
    List<FeedApplier.Held> held = applier.held(peer.id());
    if (held.isEmpty()) {
      return;
    }
    Set<String> blocked = new HashSet<>();
    List<FeedEntry> releasable = new ArrayList<>();
    List<FeedEntry> forged = new ArrayList<>();
    for (FeedApplier.Held h : held) {
      FeedEntry entry = h.entry();
      if (blocked.contains(entry.origin())) {
        continue;
      }
      if (peers.peer(entry.origin()).isEmpty() && peer.vouchesForOrigins()) {
        peers.learnVouched(entry.origin(), peer);
      }
      JWKSet carried = new JWKSet();
      if (h.carriedKeys() != null) {
        try {
          carried = peers.acceptCarried(entry.origin(), JWKSet.parse(h.carriedKeys()));
        } catch (ParseException e) {
          // kept as the relay sent it; without usable keys the entry stays held
        }
      }
      JWKSet withCarried = carried;
      try {
        FeedVerifier.verifyOrigin(
            entry,
            origin -> {
              JWKSet known = peers.keysOf(origin);
              return known == null ? null : FeedVerifier.union(known, withCarried);
            });
        releasable.add(entry);
      } catch (FeedRejected failed) {
        if (failed.unknownKey() || peers.keysOf(entry.origin()) == null) {
          blocked.add(entry.origin()); // not verifiable yet: it and what follows stay held
        } else {
          forged.add(entry); // verifiable, and it does not verify: it never came from its origin
          LOG.warnf(
              "federation: %s: held entry %d of %s dropped: %s",
              peer.id(), entry.seq(), entry.origin(), failed.getMessage());
        }
      }
    }
    if (!releasable.isEmpty() || !forged.isEmpty()) {
      applying.lock();
      try {
        FeedApplier.Applied applied = applier.release(peer, releasable, forged);
        LOG.infof(
            "federation: %s: %d held entries released, %d dropped, %d still held",
            peer.id(),
            applied.applied() + applied.skipped(),
            forged.size(),
            held.size() - releasable.size() - forged.size());
      } finally {
        applying.unlock();
      }
    }
  }

  private interface Verification<T> {
    T run() throws FeedRejected;
  }

  /** Verifies; a key id nobody has seen makes the directory refetch the pinned keys once. */
  private <T> T withKeysLearnt(Verification<T> verification) throws FeedRejected {
    try {
      return verification.run();
    } catch (FeedRejected first) {
      // a rotated key (of the peer or of a relayed origin): learn pinned keys again, once
      boolean learnt = false;
      if (first.unknownKey()) {
        for (PeersFile.Peer known : peers.peers()) {
          learnt |= peers.refresh(known.id());
        }
      }
      if (!learnt) {
        throw first;
      }
      return verification.run();
    }
  }

  /** After each commit, asks every peer to pull (coalesced: one round at a time). */
  void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) ChangeAppended event) {
    if (!config.notifyPeers()
        || notifications == null
        || peers.peers().isEmpty()
        || !access.mayExport(event.kind())) {
      return;
    }
    if (notifyQueued.compareAndSet(false, true)) {
      notifications.schedule(this::notifyPeers, 20, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * A peer read this node's feed or snapshot: it pulls from this node, so it is told of new changes
   * from now on (remembered across restarts). Peers that do not pull are never notified.
   */
  public void pulledBy(String peerId) {
    if (peers.peer(peerId).isPresent() && pullers.add(peerId)) {
      applier.recordPuller(peerId);
    }
  }

  private void notifyPeers() {
    notifyQueued.set(false);
    for (PeersFile.Peer peer : peers.peers()) {
      if (!pullers.contains(peer.id())) {
        continue;
      }
      try {
        client.notify(peer);
      } catch (PeerClient.PeerUnreachable e) {
        LOG.debugf("federation: notify of %s failed: %s", peer.id(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.debugf("federation: notify of %s failed", peer.id());
      }
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
