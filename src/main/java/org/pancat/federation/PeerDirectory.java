package org.pancat.federation;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;
import org.pancat.kernel.CanonicalJson;
import org.pancat.vocab.TermUnresolved;
import org.pancat.vocab.Vocabulary;

/**
 * The peers this node knows (from the peers file) and their pinned keys. Only keys whose
 * fingerprint the operator pinned are ever used to verify; they are fetched from the peer's {@code
 * /.well-known/jwks.json} on first use and when an unknown key id shows up (at most every ten
 * seconds), and kept in the database so entries relayed from a node that is down still verify.
 */
@Startup
@ApplicationScoped
public class PeerDirectory {
  private static final Logger LOG = Logger.getLogger(PeerDirectory.class);
  private static final Duration REFETCH_AFTER = Duration.ofSeconds(10);
  static final JOSEObjectType ORIGIN_LIST_TYPE = new JOSEObjectType("pancat-origins+json");

  private final NodeKeys self;
  private final PeerClient client;
  private final EntityManager em;
  private final Vocabulary vocabulary;
  private final Path file;
  private final Event<PeersChanged> changed;
  private final Map<String, JWKSet> keys = new ConcurrentHashMap<>();
  private final Map<String, Instant> fetchedAt = new ConcurrentHashMap<>();
  private final Map<String, Instant> vouchFetchedAt = new ConcurrentHashMap<>();
  // the last verified origin list of each vouching peer
  private final Map<String, OriginList> vouchLists = new ConcurrentHashMap<>();
  private volatile Map<String, Vouched> vouchedOrigins;
  // nodes removed from the peers file while running: never pinned again by a vouch
  private final Set<String> removed = ConcurrentHashMap.newKeySet();
  private final Clock clock = Clock.systemUTC();
  // replaced whole on a reload, never changed in place: readers see one configuration
  private volatile Map<String, PeersFile.Peer> peers;
  private volatile Map<String, ImportFilter> filters = new ConcurrentHashMap<>();
  private volatile PeersFileStatus status;
  private volatile FileTime seen;

  /**
   * The peers file as last loaded or refused.
   *
   * @param loadedAt when the running configuration was read
   * @param checkedAt when the file was last read (a refused file leaves {@code loadedAt})
   * @param error why the file as it is now was refused; null when it is the running configuration
   */
  public record PeersFileStatus(
      String file,
      List<String> peers,
      Instant loadedAt,
      Instant checkedAt,
      @Schema(nullable = true) String error,
      List<Vouched> vouchedOrigins) {
    PeersFileStatus with(List<Vouched> vouched) {
      return new PeersFileStatus(file, peers, loadedAt, checkedAt, error, vouched);
    }
  }

  /** An origin pinned because a peer vouched for it (see {@code vouchesForOrigins}). */
  public record Vouched(String id, List<String> keys, String vouchedBy, Instant learnedAt) {}

  PeerDirectory(
      FederationConfig config,
      NodeKeys self,
      PeerClient client,
      EntityManager em,
      Vocabulary vocabulary,
      Event<PeersChanged> changed) {
    this.self = self;
    this.client = client;
    this.em = em;
    this.vocabulary = vocabulary;
    this.changed = changed;
    this.file = Path.of(config.peersFile());
    this.seen = modified();
    this.peers = byId(PeersFile.read(file, self.nodeId()));
    Instant now = clock.instant();
    this.status =
        new PeersFileStatus(
            file.toString(), List.copyOf(peers.keySet()), now, now, null, List.of());
    LOG.infof("federation: node %s, %d peer(s) %s", self.nodeId(), peers.size(), peers.keySet());
  }

  public List<PeersFile.Peer> peers() {
    return List.copyOf(peers.values());
  }

  public Optional<PeersFile.Peer> peer(String id) {
    return Optional.ofNullable(peers.get(id));
  }

  public String selfId() {
    return self.nodeId();
  }

  public PeersFileStatus fileStatus() {
    return status.with(List.copyOf(vouched().values()));
  }

  /**
   * The origins this node pins (its peers file), with the keys it holds of each, signed: what a
   * peer that lets this node vouch pins for an origin it does not know.
   */
  public String signedOriginList() {
    List<OriginList.Origin> origins = new ArrayList<>();
    for (PeersFile.Peer peer : peers.values()) {
      if (!peer.keys().isEmpty()) {
        origins.add(
            new OriginList.Origin(
                peer.id(),
                peer.keys(),
                knownKeysOf(peer.id()).map(k -> k.toJSONObject(true)).orElse(null)));
      }
    }
    return self.sign(
        CanonicalJson.utf8(new OriginList(self.nodeId(), clock.instant(), origins)),
        ORIGIN_LIST_TYPE);
  }

  /**
   * Pins {@code origin}, not in the peers file, as {@code via} vouches for it, if this node lets
   * {@code via} vouch: its signed origin list is fetched (at most every few seconds) and verified
   * with {@code via}'s pinned keys. An origin is pinned once; a later vouch never changes it.
   * Returns whether it is now pinned.
   */
  public boolean learnVouched(String origin, PeersFile.Peer via) {
    if (peers.containsKey(origin) || vouched().containsKey(origin)) {
      return true;
    }
    if (!via.vouchesForOrigins() || self.nodeId().equals(origin) || removed.contains(origin)) {
      return false;
    }
    OriginList list = vouchLists.get(via.id());
    Instant last = vouchFetchedAt.get(via.id());
    if (list == null || !list.origins().stream().anyMatch(o -> origin.equals(o.id()))) {
      if (last != null && last.plus(REFETCH_AFTER).isAfter(clock.instant())) {
        return false;
      }
      vouchFetchedAt.put(via.id(), clock.instant());
      try {
        list =
            FeedVerifier.verifyOriginList(
                client.origins(via), via.id(), Set.copyOf(via.keys()), this::keysOf);
      } catch (PeerClient.PeerUnreachable | FeedRejected e) {
        LOG.infof("federation: origin list of %s not used: %s", via.id(), e.getMessage());
        return false;
      }
      vouchLists.put(via.id(), list);
    }
    Optional<OriginList.Origin> vouch =
        list.origins().stream()
            .filter(o -> origin.equals(o.id()) && PeersFile.validFingerprints(o.keys()))
            .findFirst();
    if (vouch.isEmpty()) {
      return false;
    }
    pinVouched(origin, vouch.get(), via.id());
    return true;
  }

  private synchronized void pinVouched(String origin, OriginList.Origin vouch, String via) {
    // the peers file, the node itself and an operator's removal always take precedence
    if (vouched().containsKey(origin)
        || peers.containsKey(origin)
        || self.nodeId().equals(origin)
        || removed.contains(origin)) {
      return;
    }
    Instant now = clock.instant();
    JWKSet pinnedKeys = new JWKSet();
    if (vouch.jwks() != null) {
      try {
        pinnedKeys = pinned(vouch.keys(), JWKSet.parse(vouch.jwks()));
      } catch (ParseException e) {
        // no usable keys given: they are learnt from the pages that carry them
      }
    }
    String jwks = pinnedKeys.getKeys().isEmpty() ? null : pinnedKeys.toString(true);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              if (em.find(VouchedOriginEntity.class, origin) == null) {
                VouchedOriginEntity row = new VouchedOriginEntity();
                row.origin = origin;
                row.fingerprints = String.join(",", vouch.keys());
                row.vouchedBy = via;
                row.learnedAt = now;
                row.jwks = jwks;
                em.persist(row);
              }
            });
    if (!pinnedKeys.getKeys().isEmpty()) {
      keys.put(origin, pinnedKeys);
    }
    Map<String, Vouched> next = new LinkedHashMap<>(vouched());
    next.put(origin, new Vouched(origin, vouch.keys(), via, now));
    vouchedOrigins = Collections.unmodifiableMap(next);
    LOG.infof(
        "federation: origin %s pinned as %s vouched for it: keys %s", origin, via, vouch.keys());
  }

  private Map<String, Vouched> vouched() {
    Map<String, Vouched> known = vouchedOrigins;
    if (known == null) {
      synchronized (this) {
        if (vouchedOrigins == null) {
          Map<String, Vouched> loaded = new LinkedHashMap<>();
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      em.createQuery(
                              "from VouchedOriginEntity v order by v.origin",
                              VouchedOriginEntity.class)
                          .getResultList())
              .forEach(
                  v ->
                      loaded.put(
                          v.origin,
                          new Vouched(
                              v.origin,
                              List.of(v.fingerprints.split(",")),
                              v.vouchedBy,
                              v.learnedAt)));
          vouchedOrigins = Collections.unmodifiableMap(loaded);
        }
        known = vouchedOrigins;
      }
    }
    return known;
  }

  /** The fingerprints pinned for a node: the peers file's, else a vouch's; null when none. */
  private List<String> pinsOf(String nodeId) {
    PeersFile.Peer peer = peers.get(nodeId);
    if (peer != null) {
      return peer.keys();
    }
    Vouched v = vouched().get(nodeId);
    return v == null ? null : v.keys();
  }

  /** Reads the peers file again if it changed since it was last read (the periodic check). */
  void reloadIfChanged() {
    FileTime now = modified();
    if (!Objects.equals(now, seen)) {
      reload();
    }
  }

  /**
   * Reads the peers file and, if it is valid (its syntax, pins and import policies, techniques
   * resolved), makes it the running configuration; a broken file is refused with the reason and the
   * running configuration stays. Peers added, removed or changed are announced ({@link
   * PeersChanged}) so pulls are rescheduled; a peer whose pins changed has its keys learnt again.
   */
  public synchronized PeersFileStatus reload() {
    seen = modified();
    Instant now = clock.instant();
    Map<String, PeersFile.Peer> next;
    Map<String, ImportFilter> nextFilters = new ConcurrentHashMap<>();
    try {
      next = byId(PeersFile.read(file, self.nodeId()));
      for (PeersFile.Peer peer : next.values()) {
        nextFilters.put(peer.id(), resolved(peer));
      }
    } catch (IllegalStateException e) {
      LOG.warnf(
          "federation: peers file refused, the running configuration stays: %s", e.getMessage());
      status =
          new PeersFileStatus(
              file.toString(), status.peers(), status.loadedAt(), now, e.getMessage(), List.of());
      return status;
    }
    Map<String, PeersFile.Peer> before = peers;
    Set<String> touched = new TreeSet<>();
    for (String id : union(before.keySet(), next.keySet())) {
      if (!Objects.equals(before.get(id), next.get(id))) {
        touched.add(id);
        PeersFile.Peer old = before.get(id);
        PeersFile.Peer updated = next.get(id);
        if (old == null || updated == null || !old.keys().equals(updated.keys())) {
          keys.remove(id);
          fetchedAt.remove(id);
        }
      }
    }
    for (String id : before.keySet()) {
      if (!next.containsKey(id)) {
        removed.add(id); // an operator removed it: no vouch brings it back
      }
    }
    removed.removeAll(next.keySet());
    peers = next;
    filters = nextFilters;
    status =
        new PeersFileStatus(file.toString(), List.copyOf(next.keySet()), now, now, null, List.of());
    if (!touched.isEmpty()) {
      LOG.infof(
          "federation: peers file reloaded: %d peer(s) %s, changed %s",
          next.size(), next.keySet(), touched);
      changed.fire(new PeersChanged(touched));
    }
    return status;
  }

  private FileTime modified() {
    try {
      return Files.exists(file) ? Files.getLastModifiedTime(file) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static Map<String, PeersFile.Peer> byId(PeersFile read) {
    Map<String, PeersFile.Peer> byId = new LinkedHashMap<>();
    read.peers().forEach(p -> byId.put(p.id(), p));
    return Collections.unmodifiableMap(byId);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  /** The peer's import policy with its technique terms resolved (the vocabulary loads first). */
  ImportFilter filter(PeersFile.Peer peer) {
    return filters.computeIfAbsent(peer.id(), id -> resolved(peer));
  }

  /**
   * The pinned public keys of a node: this node's own, or a configured peer's; null for a node this
   * node does not know (its entries are refused).
   */
  public JWKSet keysOf(String nodeId) {
    if (self.nodeId().equals(nodeId)) {
      return self.publicKeys();
    }
    PeersFile.Peer peer = peers.get(nodeId);
    if (peer == null) {
      return vouchedKeys(nodeId);
    }
    // an unreachable peer's empty answer is not remembered: the next use asks again
    JWKSet known =
        keys.computeIfAbsent(
            nodeId, id -> stored(id).map(k -> pinned(peer, k)).or(() -> fetch(peer)).orElse(null));
    // a cache filled before a reload changed the pins holds only what the pins allow now
    return known == null ? new JWKSet() : pinned(peer, known);
  }

  /**
   * The pinned keys this node holds of a peer, without asking the peer (for the keys a page carries
   * to its readers); empty for a node it does not know or whose keys it never learnt.
   */
  public Optional<JWKSet> knownKeysOf(String nodeId) {
    PeersFile.Peer peer = peers.get(nodeId);
    if (peer == null) {
      return Optional.ofNullable(vouchedKeys(nodeId)).filter(k -> !k.getKeys().isEmpty());
    }
    JWKSet known = keys.get(nodeId);
    if (known == null) {
      known = stored(nodeId).map(k -> pinned(peer, k)).orElse(null);
      if (known != null) {
        keys.put(nodeId, known);
      }
    }
    return Optional.ofNullable(known);
  }

  /**
   * Of the keys a relaying peer carried for {@code origin}, those whose fingerprints this node
   * pinned for it (or learnt by vouching) and does not already hold: a key it holds keeps its own
   * form (its validity window). They verify that origin's entries in the page that carried them and
   * nothing else: they are never stored as the origin's keys, so a relay cannot revive a retired
   * key for pages or signed requests. Empty for an origin this node does not know.
   */
  public JWKSet acceptCarried(String origin, JWKSet carried) {
    List<String> pins = pinsOf(origin);
    if (pins == null || self.nodeId().equals(origin)) {
      return new JWKSet();
    }
    JWKSet known = keys.get(origin);
    Set<String> held = new HashSet<>();
    if (known != null) {
      known.getKeys().forEach(k -> held.add(NodeKeys.fingerprint(k)));
    }
    return new JWKSet(
        pinned(pins, carried).getKeys().stream()
            .filter(k -> k.getKeyID() != null && !held.contains(NodeKeys.fingerprint(k)))
            .toList());
  }

  /**
   * Fetches a peer's keys again when a signature names a key id this node has not seen (the peer
   * rotated), at most once a minute per peer. Returns whether anything new was learnt.
   */
  public boolean refresh(String nodeId) {
    PeersFile.Peer peer = peers.get(nodeId);
    if (peer == null) {
      return false;
    }
    Instant last = fetchedAt.get(nodeId);
    if (last != null && last.plus(REFETCH_AFTER).isAfter(clock.instant())) {
      return false;
    }
    JWKSet before = keys.get(nodeId);
    Optional<JWKSet> after = fetch(peer);
    after.ifPresent(k -> keys.put(nodeId, k));
    return after.isPresent()
        && (before == null || !before.toString().equals(after.get().toString()));
  }

  /** Only the keys the operator pinned; empty when the peer cannot be reached. */
  private Optional<JWKSet> fetch(PeersFile.Peer peer) {
    fetchedAt.put(peer.id(), clock.instant());
    try {
      JWKSet pinned = pinned(peer, client.jwks(peer));
      if (!pinned.getKeys().isEmpty()) {
        store(peer.id(), pinned);
      }
      return Optional.of(pinned);
    } catch (PeerClient.PeerUnreachable e) {
      LOG.debugf("keys of peer %s not fetched: %s", peer.id(), e.getMessage());
      return Optional.empty();
    }
  }

  /** Only those of {@code published} whose fingerprints the operator pinned for the peer. */
  static JWKSet pinned(PeersFile.Peer peer, JWKSet published) {
    return pinned(peer.keys(), published);
  }

  private static JWKSet pinned(List<String> fingerprints, JWKSet published) {
    Set<String> pins = Set.copyOf(fingerprints);
    return new JWKSet(
        published.getKeys().stream().filter(k -> pins.contains(NodeKeys.fingerprint(k))).toList());
  }

  /** The keys learnt of a vouched origin (empty: none yet); null for an origin not vouched for. */
  private JWKSet vouchedKeys(String origin) {
    Vouched v = vouched().get(origin);
    if (v == null) {
      return null;
    }
    JWKSet known =
        keys.computeIfAbsent(
            origin,
            id ->
                QuarkusTransaction.requiringNew()
                    .call(
                        () -> {
                          VouchedOriginEntity row = em.find(VouchedOriginEntity.class, id);
                          if (row == null || row.jwks == null) {
                            return null;
                          }
                          try {
                            return pinned(v.keys(), JWKSet.parse(row.jwks));
                          } catch (ParseException e) {
                            return null;
                          }
                        }));
    return known == null ? new JWKSet() : known;
  }

  private Optional<JWKSet> stored(String peerId) {
    String json =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  PeerStateEntity state = em.find(PeerStateEntity.class, peerId);
                  return state == null ? null : state.jwks;
                });
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JWKSet.parse(json));
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  private void store(String peerId, JWKSet pinned) {
    if (!peers.containsKey(peerId)) {
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                VouchedOriginEntity row = em.find(VouchedOriginEntity.class, peerId);
                if (row != null) {
                  row.jwks = pinned.toString(true);
                }
              });
      return;
    }
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              PeerStateEntity state = em.find(PeerStateEntity.class, peerId);
              if (state == null) {
                state = PeerStateEntity.fresh(peerId);
                em.persist(state);
              }
              state.jwks = pinned.toString(true);
            });
  }

  private ImportFilter resolved(PeersFile.Peer peer) {
    PeersFile.ImportPolicy policy = peer.importPolicy();
    Set<String> techniques;
    try {
      techniques =
          Set.copyOf(
              vocabulary.resolveTags("techniques", "import.techniques", policy.techniques()));
    } catch (TermUnresolved e) {
      throw new IllegalStateException("peers file: peer " + peer.id() + ": " + e.getMessage(), e);
    }
    return new ImportFilter(
        Set.copyOf(policy.facilities()),
        Set.copyOf(policy.sharing()),
        techniques,
        policy.trustedOnly(),
        vocabulary);
  }
}
