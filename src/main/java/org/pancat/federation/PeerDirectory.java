package org.pancat.federation;

import com.nimbusds.jose.jwk.JWKSet;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
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

  private final NodeKeys self;
  private final PeerClient client;
  private final EntityManager em;
  private final Map<String, PeersFile.Peer> peers = new LinkedHashMap<>();
  private final Vocabulary vocabulary;
  private final Map<String, ImportFilter> filters = new ConcurrentHashMap<>();
  private final Map<String, JWKSet> keys = new ConcurrentHashMap<>();
  private final Map<String, Instant> fetchedAt = new ConcurrentHashMap<>();
  private final Clock clock = Clock.systemUTC();

  PeerDirectory(
      FederationConfig config,
      NodeKeys self,
      PeerClient client,
      EntityManager em,
      Vocabulary vocabulary) {
    this.self = self;
    this.client = client;
    this.em = em;
    this.vocabulary = vocabulary;
    PeersFile file = PeersFile.read(Path.of(config.peersFile()), self.nodeId());
    for (PeersFile.Peer peer : file.peers()) {
      peers.put(peer.id(), peer);
    }
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

  /** The peer's import policy with its technique terms resolved (the vocabulary loads first). */
  ImportFilter filter(String peerId) {
    return filters.computeIfAbsent(peerId, id -> filter(peers.get(id)));
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
      return null;
    }
    // an unreachable peer's empty answer is not remembered: the next use asks again
    JWKSet known =
        keys.computeIfAbsent(nodeId, id -> stored(id).or(() -> fetch(peer)).orElse(null));
    return known == null ? new JWKSet() : known;
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
      JWKSet published = client.jwks(peer);
      Set<String> pins = Set.copyOf(peer.keys());
      JWKSet pinned =
          new JWKSet(
              published.getKeys().stream()
                  .filter(k -> pins.contains(NodeKeys.fingerprint(k)))
                  .toList());
      if (!pinned.getKeys().isEmpty()) {
        store(peer.id(), pinned);
      }
      return Optional.of(pinned);
    } catch (PeerClient.PeerUnreachable e) {
      LOG.debugf("keys of peer %s not fetched: %s", peer.id(), e.getMessage());
      return Optional.empty();
    }
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

  private ImportFilter filter(PeersFile.Peer peer) {
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
