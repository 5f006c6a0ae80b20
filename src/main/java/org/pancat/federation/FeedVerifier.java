package org.pancat.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.pancat.kernel.CanonicalJson;

/**
 * Verifies a feed page before anything of it is applied: the serving node's signature with a key it
 * published (and the reader pinned), that it answers the cursor asked for (no replay, no rollback),
 * sequence order, and every entry's origin signature with the origin's keys. Pure: the caller
 * supplies the keys it trusts.
 */
public final class FeedVerifier {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .findAndAddModules()
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private static final Duration ORIGIN_LIST_FRESHNESS = Duration.ofMinutes(5);

  private FeedVerifier() {}

  /**
   * The head a served page claims, read without verifying it: only for a refused page's status (how
   * far behind this node is), never for a decision.
   */
  static OptionalLong claimedHead(String compact) {
    try {
      JsonNode head = MAPPER.readTree(JWSObject.parse(compact).getPayload().toBytes()).path("head");
      return head.canConvertToLong() && head.asLong() >= 0
          ? OptionalLong.of(head.asLong())
          : OptionalLong.empty();
    } catch (ParseException | IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * A verified page, and the origins of relayed entries that cannot be verified here yet, with the
   * reason: no key pinned for the origin is known (it is not in the reader's peers file, or its
   * keys were never learnt, or it signed with a key the reader has not pinned). Their entries are
   * for the reader to hold, not to apply; every other entry verified.
   */
  public record Verified(FeedPage page, Map<String, String> heldOrigins) {}

  /**
   * A page that must verify whole: an entry whose origin cannot be verified refuses it.
   *
   * @param servingNode the peer the page was asked from
   * @param pinned fingerprints the reader pinned for that peer; empty pins nothing
   * @param keysOf the public keys of a node id, or null for a node the reader does not know
   * @param after the cursor the reader asked with
   */
  public static FeedPage verify(
      String compactJws,
      String servingNode,
      Set<String> pinned,
      Function<String, JWKSet> keysOf,
      long after)
      throws FeedRejected {
    Verified verified =
        verifyHolding(compactJws, servingNode, pinned, keysOf, (origin, carried) -> null, after);
    if (!verified.heldOrigins().isEmpty()) {
      throw new FeedRejected(verified.heldOrigins().values().iterator().next(), true);
    }
    return verified.page();
  }

  /**
   * Verifies a page, holding back (not refusing) the entries of origins it cannot verify yet.
   *
   * @param carried of the keys the page carries for an origin, those the reader pinned for it (it
   *     learns them); null or empty when none
   */
  public static Verified verifyHolding(
      String compactJws,
      String servingNode,
      Set<String> pinned,
      Function<String, JWKSet> keysOf,
      BiFunction<String, JWKSet, JWKSet> carried,
      long after)
      throws FeedRejected {
    Signed signed = servedBy(compactJws, servingNode, pinned, keysOf, "page");
    JWSObject jws = signed.jws();
    ECKey key = signed.key();
    FeedPage page;
    try {
      page = MAPPER.readValue(jws.getPayload().toBytes(), FeedPage.class);
    } catch (IOException e) {
      throw new FeedRejected("page payload is not a feed page");
    }
    if (!servingNode.equals(page.node())) {
      throw new FeedRejected("page claims to come from " + page.node() + ", not " + servingNode);
    }
    if (page.after() != after) {
      throw new FeedRejected(
          "page answers cursor " + page.after() + ", not " + after + " (replayed or rolled back)");
    }
    checkValidity(key, page.servedAt(), "page");
    long last = after;
    List<FeedEntry> relayed = new ArrayList<>();
    for (FeedEntry e : page.entries()) {
      if (e.seq() <= last) {
        throw new FeedRejected("sequence goes back at " + e.seq() + " (after " + last + ")");
      }
      last = e.seq();
      if (servingNode.equals(e.origin())) {
        // the origin's own page signature covers its entries; its per-entry signature is kept
        // for relaying, and whoever the entry is relayed to verifies it
        if (e.originSig() == null) {
          throw new FeedRejected("entry " + e.seq() + " has no origin signature");
        }
      } else {
        relayed.add(e);
      }
    }
    Map<String, String> held = new TreeMap<>();
    Map<String, JWKSet> originKeys = new HashMap<>();
    for (FeedEntry e : relayed) {
      if (originKeys.containsKey(e.origin()) || held.containsKey(e.origin())) {
        continue;
      }
      JWKSet known = keysOf.apply(e.origin());
      JWKSet relayedKeys = relayedKeys(page, e.origin(), carried);
      JWKSet usable = union(known, relayedKeys);
      if (usable.getKeys().isEmpty()) {
        held.put(
            e.origin(),
            known == null
                ? "unknown origin " + e.origin() + ": it is not in this node's peers file"
                : "no key pinned for origin " + e.origin() + " is known here");
      } else {
        originKeys.put(e.origin(), usable);
      }
    }
    List<FeedEntry> checkable = new ArrayList<>();
    for (FeedEntry e : relayed) {
      if (!held.containsKey(e.origin())) {
        checkable.add(e);
      }
    }
    for (Map.Entry<String, String> unknownKey :
        verifyOrigins(checkable, originKeys::get).entrySet()) {
      held.putIfAbsent(unknownKey.getKey(), unknownKey.getValue());
    }
    if (page.head() < after) {
      throw new FeedRejected(
          "the peer's log is at "
              + page.head()
              + ", behind this node's cursor "
              + after
              + ": its sequence went back (restored from a backup?)");
    }
    if (page.next() < last || page.head() < page.next()) {
      throw new FeedRejected("page cursor " + page.next() + " is inconsistent with its entries");
    }
    return new Verified(page, held);
  }

  /**
   * The origins other than the serving node of a snapshot's entries, read without verifying
   * anything (to learn vouched origins before the snapshot is verified).
   */
  static Set<String> relayedOrigins(List<String> lines, String servingNode) {
    Set<String> origins = new TreeSet<>();
    for (String line : lines) {
      try {
        JsonNode origin = MAPPER.readTree(line).path("origin");
        if (origin.isTextual() && !origin.asText().equals(servingNode)) {
          origins.add(origin.asText());
        }
      } catch (IOException e) {
        // the header and trailer are JWS, not entries
      }
    }
    return origins;
  }

  /** A node's signed list of the origins it pins, verified with that node's pinned keys. */
  static OriginList verifyOriginList(
      String compact, String node, Set<String> pinned, Function<String, JWKSet> keysOf)
      throws FeedRejected {
    JsonNode payload = signedBy(compact, node, pinned, keysOf, "origin list");
    OriginList list;
    try {
      list = MAPPER.treeToValue(payload, OriginList.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new FeedRejected("origin list of " + node + " is not an origin list");
    }
    try {
      if (!PeerDirectory.ORIGIN_LIST_TYPE.equals(JWSObject.parse(compact).getHeader().getType())) {
        throw new FeedRejected("origin list of " + node + " is not typed as one");
      }
    } catch (ParseException e) {
      throw new FeedRejected("origin list of " + node + " is not a JWS");
    }
    // a list replayed from earlier would pin what the node pinned then
    if (list.at() == null
        || Duration.between(list.at(), Instant.now()).abs().compareTo(ORIGIN_LIST_FRESHNESS) > 0) {
      throw new FeedRejected("origin list of " + node + " is not fresh: signed at " + list.at());
    }
    return list;
  }

  /** The keys the page carries for {@code origin} that the reader pinned (empty: none). */
  private static JWKSet relayedKeys(
      FeedPage page, String origin, BiFunction<String, JWKSet, JWKSet> carried) {
    Map<String, Object> json = page.originKeys().get(origin);
    if (json == null) {
      return new JWKSet();
    }
    try {
      JWKSet accepted = carried.apply(origin, JWKSet.parse(json));
      return accepted == null ? new JWKSet() : accepted;
    } catch (ParseException e) {
      return new JWKSet();
    }
  }

  /** The keys of {@code a}, then those of {@code b} with a fingerprint and key id not in it. */
  static JWKSet union(JWKSet a, JWKSet b) {
    List<JWK> all = new ArrayList<>(a == null ? List.of() : a.getKeys());
    for (JWK k : b.getKeys()) {
      String fingerprint = NodeKeys.fingerprint(k);
      if (all.stream()
          .noneMatch(
              known ->
                  NodeKeys.fingerprint(known).equals(fingerprint)
                      || Objects.equals(known.getKeyID(), k.getKeyID()))) {
        all.add(k);
      }
    }
    return new JWKSet(all);
  }

  /**
   * A verified snapshot: the serving node's seq, when it was made, and the entries, each
   * origin-verified.
   */
  public record Snapshot(String node, long seq, Instant at, List<FeedEntry> entries) {}

  /**
   * Verifies a snapshot stream (its lines): header and trailer signed by the serving node with a
   * pinned key, the trailer's count and SHA-256 over every entry line, and the origin signature of
   * every entry relayed from another node (the signed trailer covers the serving node's own, as a
   * page signature does).
   */
  public static Snapshot verifySnapshot(
      List<String> lines, String servingNode, Set<String> pinned, Function<String, JWKSet> keysOf)
      throws FeedRejected {
    if (lines.size() < 2) {
      throw new FeedRejected("snapshot is truncated");
    }
    JsonNode header = signedBy(lines.get(0), servingNode, pinned, keysOf, "snapshot header");
    JsonNode trailer =
        signedBy(lines.get(lines.size() - 1), servingNode, pinned, keysOf, "snapshot trailer");
    MessageDigest digest = SnapshotExporter.sha256();
    List<FeedEntry> entries = new ArrayList<>();
    List<FeedEntry> relayed = new ArrayList<>();
    long last = 0;
    for (String line : lines.subList(1, lines.size() - 1)) {
      digest.update(line.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) '\n');
      FeedEntry entry;
      try {
        entry = MAPPER.readValue(line, FeedEntry.class);
      } catch (IOException e) {
        throw new FeedRejected("snapshot line " + (entries.size() + 2) + " is not a feed entry");
      }
      if (entry.seq() <= last || entry.seq() > header.path("seq").asLong()) {
        throw new FeedRejected("snapshot entry " + entry.seq() + " is out of order or range");
      }
      last = entry.seq();
      if (!servingNode.equals(entry.origin())) {
        relayed.add(entry);
      } else if (entry.originSig() == null) {
        throw new FeedRejected("snapshot entry " + entry.seq() + " has no origin signature");
      }
      entries.add(entry);
    }
    if (trailer.path("seq").asLong() != header.path("seq").asLong()
        || trailer.path("entries").asLong() != entries.size()
        || !SnapshotExporter.hex(digest).equals(trailer.path("sha256").asText())) {
      throw new FeedRejected("snapshot lines do not match its signed trailer");
    }
    for (FeedEntry e : relayed) {
      if (keysOf.apply(e.origin()) == null) {
        throw new FeedRejected("entry " + e.seq() + " comes from unknown origin " + e.origin());
      }
    }
    Map<String, String> unknownKeys = verifyOrigins(relayed, keysOf);
    if (!unknownKeys.isEmpty()) {
      throw new FeedRejected(unknownKeys.values().iterator().next(), true);
    }
    Instant at;
    try {
      at = Instant.parse(header.path("at").asText());
    } catch (DateTimeParseException e) {
      throw new FeedRejected("snapshot header has no valid time");
    }
    return new Snapshot(servingNode, header.path("seq").asLong(), at, entries);
  }

  private record Signed(JWSObject jws, ECKey key) {}

  /** A JWS the serving node signed with one of its keys that the reader pinned. */
  private static Signed servedBy(
      String compact,
      String servingNode,
      Set<String> pinned,
      Function<String, JWKSet> keysOf,
      String what)
      throws FeedRejected {
    JWKSet keys = keysOf.apply(servingNode);
    if (keys == null) {
      throw new FeedRejected("no keys known for node " + servingNode);
    }
    JWSObject jws = parse(compact, null, what);
    ECKey key = key(jws, keys, what);
    if (!pinned.isEmpty() && !pinned.contains(NodeKeys.fingerprint(key))) {
      throw new FeedRejected(what + " signed with key " + key.getKeyID() + ", which is not pinned");
    }
    check(jws, key, what + " signature does not verify");
    return new Signed(jws, key);
  }

  private static JsonNode signedBy(
      String compact,
      String servingNode,
      Set<String> pinned,
      Function<String, JWKSet> keysOf,
      String what)
      throws FeedRejected {
    JWSObject jws = servedBy(compact, servingNode, pinned, keysOf, what).jws();
    try {
      JsonNode payload = MAPPER.readTree(jws.getPayload().toBytes());
      if (!servingNode.equals(payload.path("node").asText())) {
        throw new FeedRejected(what + " comes from another node");
      }
      return payload;
    } catch (IOException e) {
      throw new FeedRejected(what + " has no JSON payload");
    }
  }

  /**
   * The origin signatures of entries relayed from other nodes, on all cores. An entry signed with a
   * key id the reader does not hold puts its origin on hold (returned: origin and reason); any
   * other failure refuses the page, the first in page order being the reason.
   */
  private static Map<String, String> verifyOrigins(
      List<FeedEntry> entries, Function<String, JWKSet> keysOf) throws FeedRejected {
    List<String> failures =
        entries.parallelStream()
            .map(
                e -> {
                  try {
                    verifyOrigin(e, keysOf);
                    return (String) null;
                  } catch (FeedRejected rejected) {
                    return rejected.unknownKey()
                        ? "?" + e.origin() + "\n" + rejected.getMessage()
                        : rejected.getMessage();
                  }
                })
            .toList();
    Map<String, String> unknownKeys = new TreeMap<>();
    for (String failure : failures) {
      if (failure == null) {
        continue;
      }
      if (!failure.startsWith("?")) {
        throw new FeedRejected(failure);
      }
      int newline = failure.indexOf('\n');
      unknownKeys.putIfAbsent(failure.substring(1, newline), failure.substring(newline + 1));
    }
    return unknownKeys;
  }

  /**
   * An entry's origin signature, against the origin's keys, over exactly this entry. Signatures are
   * detached: made over the entry's canonical JSON without {@code seq} and {@code originSig}, which
   * is rebuilt here. Ones with the entry attached (made before pancat detached them) still verify,
   * their payload compared with the entry.
   */
  static void verifyOrigin(FeedEntry e, Function<String, JWKSet> keysOf) throws FeedRejected {
    JWKSet originKeys = keysOf.apply(e.origin());
    if (originKeys == null) {
      throw new FeedRejected("entry " + e.seq() + " comes from unknown origin " + e.origin());
    }
    if (e.originSig() == null) {
      throw new FeedRejected("entry " + e.seq() + " has no origin signature");
    }
    String what = "entry " + e.seq();
    boolean detached = e.originSig().contains("..");
    JWSObject sig =
        detached
            ? parse(e.originSig(), new Payload(CanonicalJson.utf8(e.signable())), what)
            : parse(e.originSig(), null, what);
    ECKey key = key(sig, originKeys, what);
    check(
        sig,
        key,
        detached
            ? what + " differs from what its origin signed (its origin signature does not verify)"
            : "origin signature of " + what + " does not verify");
    checkValidity(key, e.at(), what);
    if (!detached) {
      try {
        // compared as records: JSON trees would tell an int from a long of the same value
        FeedEntry signed = MAPPER.readValue(sig.getPayload().toBytes(), FeedEntry.class);
        if (!signed.equals(e.signable())) {
          throw new FeedRejected(what + " differs from what its origin signed");
        }
      } catch (IOException ex) {
        throw new FeedRejected("origin signature of " + what + " has no JSON payload");
      }
    }
  }

  /**
   * @param detachedPayload the signed content of a detached JWS, or null for one carrying it
   */
  private static JWSObject parse(String compact, Payload detachedPayload, String what)
      throws FeedRejected {
    try {
      JWSObject jws =
          detachedPayload == null
              ? JWSObject.parse(compact)
              : JWSObject.parse(compact, detachedPayload);
      if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())) {
        throw new FeedRejected(what + " is not signed with ES256");
      }
      return jws;
    } catch (ParseException e) {
      throw new FeedRejected(what + " is not a compact JWS");
    }
  }

  private static ECKey key(JWSObject jws, JWKSet keys, String what) throws FeedRejected {
    String kid = jws.getHeader().getKeyID();
    JWK key = kid == null ? null : keys.getKeyByKeyId(kid);
    if (!(key instanceof ECKey ec)) {
      throw new FeedRejected(what + " is signed with an unknown key", true);
    }
    return ec;
  }

  private static void check(JWSObject jws, ECKey key, String failure) throws FeedRejected {
    try {
      if (!jws.verify(EcdsaProvider.verifier(key))) {
        throw new FeedRejected(failure);
      }
    } catch (JOSEException e) {
      throw new FeedRejected(failure);
    }
  }

  /** A retired key verifies only what it signed within its validity window. */
  private static void checkValidity(ECKey key, Instant signedAt, String what) throws FeedRejected {
    if (signedAt == null) {
      throw new FeedRejected(what + " carries no time");
    }
    if (key.getExpirationTime() != null && signedAt.isAfter(key.getExpirationTime().toInstant())) {
      throw new FeedRejected(what + " is signed with key " + key.getKeyID() + " after it retired");
    }
  }
}
