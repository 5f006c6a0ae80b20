package org.pancat.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pancat.kernel.CanonicalJson;

/** Feed verification without a node: signatures, pins, cursors, origins, relays, key rotation. */
class FeedVerifierTest {
  private static final ObjectMapper MAPPER = JsonMapper.builder().findAndAddModules().build();
  private static final CanonicalJson JSON = new CanonicalJson(MAPPER);
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir Path dir;

  private NodeKeys node(String id, Instant now) {
    return new NodeKeys(dir.resolve(id), id, Duration.ofDays(30), Clock.fixed(now, ZoneOffset.UTC));
  }

  private static byte[] bytes(Object o) {
    return JSON.write(o).getBytes(StandardCharsets.UTF_8);
  }

  /** An entry made and signed by {@code origin}. */
  private static FeedEntry entry(NodeKeys origin, long originSeq, String slug) {
    ObjectNode body = MAPPER.createObjectNode().put("name", slug);
    FeedEntry e =
        new FeedEntry(
            originSeq,
            origin.nodeId(),
            originSeq,
            "upsert",
            "software",
            "esrf/" + slug,
            null,
            "",
            "pub@esrf",
            T0,
            body,
            null);
    return e.signed(origin.signDetached(bytes(e.signable())));
  }

  private static String page(NodeKeys server, long after, List<FeedEntry> entries, Instant at) {
    long next = entries.isEmpty() ? after : entries.get(entries.size() - 1).seq();
    return server.sign(
        bytes(new FeedPage(server.nodeId(), after, next, next, at, entries, Map.of())));
  }

  private static Function<String, JWKSet> known(NodeKeys... nodes) {
    Map<String, JWKSet> keys = new HashMap<>();
    for (NodeKeys n : nodes) {
      keys.put(n.nodeId(), n.publicKeys());
    }
    return keys::get;
  }

  @Test
  void aGoodPageVerifiesAndEntriesRelayedThroughAnotherNodeVerifyAgainstTheirOrigin()
      throws Exception {
    NodeKeys a = node("a", T0);
    NodeKeys b = node("b", T0);
    // B serves A's entries (relayed, renumbered in B's log) and one of its own
    List<FeedEntry> entries =
        List.of(
            entry(a, 7, "pyfai").withSeq(3),
            entry(a, 9, "fabio").withSeq(4),
            entry(b, 5, "silx").withSeq(5));
    FeedPage page = FeedVerifier.verify(page(b, 2, entries, T0), "b", Set.of(), known(a, b), 2);
    assertEquals(3, page.entries().size());
    assertEquals("a", page.entries().get(0).origin());
    assertEquals(7, page.entries().get(0).originSeq());
  }

  @Test
  void tamperedPagesAreRefusedWhole() throws Exception {
    NodeKeys a = node("a", T0);
    NodeKeys b = node("b", T0);
    NodeKeys stranger = node("c", T0);
    List<FeedEntry> entries =
        List.of(entry(a, 1, "pyfai").withSeq(1), entry(a, 2, "fabio").withSeq(2));
    String good = page(a, 0, entries, T0);

    // one flipped bit in the payload
    String[] parts = good.split("\\.");
    byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
    payload[payload.length / 2] ^= 0x01;
    String flipped =
        parts[0]
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(payload)
            + "."
            + parts[2];
    assertRefused(flipped, "a", known(a), 0, "does not verify");

    // the right node id, signed with another node's key
    String wrongKey =
        stranger.sign(
            bytes(MAPPER.readValue(Base64.getUrlDecoder().decode(parts[1]), FeedPage.class)));
    assertRefused(wrongKey, "a", known(a), 0, "unknown key");

    // replayed: the page for cursor 0 offered when the reader is at 2
    assertRefused(good, "a", known(a), 2, "replayed or rolled back");

    // sequence going back inside a page
    List<FeedEntry> backwards =
        List.of(entry(a, 2, "fabio").withSeq(2), entry(a, 1, "pyfai").withSeq(1));
    assertRefused(page(a, 0, backwards, T0), "a", known(a), 0, "sequence goes back");

    // an entry from an origin the reader does not know
    List<FeedEntry> foreign = List.of(entry(stranger, 1, "x").withSeq(1));
    assertRefused(page(a, 0, foreign, T0), "a", known(a), 0, "unknown origin");

    // a relay that changed an entry's body keeps the origin signature, which no longer matches
    FeedEntry original = entry(a, 1, "pyfai");
    ObjectNode changed = MAPPER.createObjectNode().put("name", "pyfai-evil");
    FeedEntry altered =
        new FeedEntry(
            1,
            "a",
            1,
            "upsert",
            "software",
            "esrf/pyfai",
            null,
            "",
            "pub@esrf",
            T0,
            changed,
            original.originSig());
    assertRefused(
        page(b, 0, List.of(altered), T0),
        "b",
        known(a, b),
        0,
        "differs from what its origin signed");

    // a pinned fingerprint that the serving key does not have
    assertThrows(
        FeedRejected.class, () -> FeedVerifier.verify(good, "a", Set.of("sha256:ab"), known(a), 0));
  }

  /** A page of {@code server} relaying one entry of another origin, verified by a reader. */
  private static void verifyRelayed(NodeKeys origin, NodeKeys server, FeedEntry entry)
      throws FeedRejected {
    FeedVerifier.verify(
        page(server, 0, List.of(entry.withSeq(1)), T0),
        server.nodeId(),
        Set.of(),
        known(origin, server),
        0);
  }

  @Test
  void anOriginSignatureIsDetachedAndCoversTheEntryWhateverOrderItsBodyKeysArriveIn()
      throws Exception {
    NodeKeys a = node("a", T0);
    NodeKeys b = node("b", T0);
    FeedEntry signed = entry(a, 1, "pyfai");
    String[] parts = signed.originSig().split("\\.", -1);
    assertEquals(3, parts.length);
    assertEquals("", parts[1], "the entry is not carried twice");

    // a relay that parsed and rewrote the body in another key order still verifies
    ObjectNode reordered = MAPPER.createObjectNode().put("zeta", 1).put("alpha", "x");
    FeedEntry unordered = withBody(entry(a, 2, "fabio"), reordered);
    FeedEntry byOrigin = unordered.signed(a.signDetached(bytes(unordered.signable())));
    ObjectNode sorted = MAPPER.createObjectNode().put("alpha", "x").put("zeta", 1);
    verifyRelayed(a, b, withBody(byOrigin, sorted));

    // one flipped bit in the signature
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    signature[signature.length / 2] ^= 0x01;
    FeedEntry flipped =
        signed.signed(
            parts[0] + ".." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
    FeedRejected e = assertThrows(FeedRejected.class, () -> verifyRelayed(a, b, flipped));
    assertTrue(e.getMessage().contains("differs from what its origin signed"), e.getMessage());
  }

  @Test
  void anOriginSignatureCarryingItsEntryStillVerifiesAndIsComparedWithTheEntry() throws Exception {
    NodeKeys a = node("a", T0);
    NodeKeys b = node("b", T0);
    FeedEntry unsigned = entry(a, 1, "pyfai").signed(null);
    // as nodes signed before signatures were detached
    FeedEntry attached = unsigned.signed(a.sign(bytes(unsigned.signable())));
    verifyRelayed(a, b, attached);

    FeedEntry altered = withBody(attached, MAPPER.createObjectNode().put("name", "pyfai-evil"));
    FeedRejected e = assertThrows(FeedRejected.class, () -> verifyRelayed(a, b, altered));
    assertTrue(e.getMessage().contains("differs from what its origin signed"), e.getMessage());
  }

  private static FeedEntry withBody(FeedEntry e, ObjectNode body) {
    return new FeedEntry(
        e.seq(),
        e.origin(),
        e.originSeq(),
        e.op(),
        e.entity(),
        e.id(),
        e.version(),
        e.item(),
        e.actor(),
        e.at(),
        body,
        e.originSig());
  }

  @Test
  void aRetiredKeyStillVerifiesWhatItSignedBeforeButNothingAfter() throws Exception {
    NodeKeys a = node("a", T0);
    FeedEntry old = entry(a, 1, "pyfai");
    Instant later = T0.plus(Duration.ofDays(1));
    NodeKeys rotated =
        new NodeKeys(
            dir.resolve("a"), "a", Duration.ofDays(30), Clock.fixed(later, ZoneOffset.UTC));
    rotated.rotate();
    assertEquals(2, rotated.publicKeys().getKeys().size());
    // an old entry relayed in a page signed with the new key
    FeedPage page =
        FeedVerifier.verify(
            page(rotated, 0, List.of(old.withSeq(1)), later), "a", Set.of(), known(rotated), 0);
    assertEquals(1, page.entries().size());
    // the old key (taken from before rotation) signing a page after its retirement is refused
    String afterRetirement = page(a, 0, List.of(), later.plusSeconds(60));
    FeedRejected e =
        assertThrows(
            FeedRejected.class,
            () -> FeedVerifier.verify(afterRetirement, "a", Set.of(), known(rotated), 0));
    assertTrue(e.getMessage().contains("after it retired"), e.getMessage());
  }

  private static void assertRefused(
      String jws, String node, Function<String, JWKSet> keys, long after, String reason) {
    FeedRejected e =
        assertThrows(
            FeedRejected.class, () -> FeedVerifier.verify(jws, node, Set.of(), keys, after));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  /** A snapshot of {@code server}'s log as it streams it: signed header, entry lines, trailer. */
  private static List<String> snapshot(NodeKeys server, long seq, List<FeedEntry> entries) {
    java.security.MessageDigest digest = SnapshotExporter.sha256();
    List<String> lines = new ArrayList<>();
    lines.add(
        server.sign(
            bytes(Map.of("node", server.nodeId(), "seq", seq, "at", T0.toString())),
            SnapshotExporter.SNAPSHOT_TYPE));
    for (FeedEntry e : entries) {
      String line = JSON.write(e);
      digest.update(line.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) '\n');
      lines.add(line);
    }
    lines.add(
        server.sign(
            bytes(
                Map.of(
                    "node",
                    server.nodeId(),
                    "seq",
                    seq,
                    "entries",
                    entries.size(),
                    "sha256",
                    SnapshotExporter.hex(digest))),
            SnapshotExporter.SNAPSHOT_TYPE));
    return lines;
  }

  @Test
  void aSnapshotCoversItsServersEntriesAndVerifiesEveryRelayedOneAgainstItsOrigin()
      throws Exception {
    NodeKeys a = node("a", T0);
    NodeKeys b = node("b", T0);
    FeedEntry relayed = entry(a, 7, "pyfai").withSeq(3);
    FeedEntry own = entry(b, 4, "maxwell").withSeq(4);
    FeedVerifier.Snapshot ok =
        FeedVerifier.verifySnapshot(
            snapshot(b, 5, List.of(relayed, own)), "b", Set.of(), known(a, b));
    assertEquals(5, ok.seq());
    assertEquals(List.of(relayed, own), ok.entries());

    // b relays a's entry altered, and signs the stream over the altered line: a's signature fails
    ObjectNode altered = ((ObjectNode) relayed.body().deepCopy()).put("name", "pyfai-altered");
    FeedEntry forged =
        new FeedEntry(
            relayed.seq(),
            relayed.origin(),
            relayed.originSeq(),
            relayed.op(),
            relayed.entity(),
            relayed.id(),
            relayed.version(),
            relayed.item(),
            relayed.actor(),
            relayed.at(),
            altered,
            relayed.originSig());
    FeedRejected refused =
        assertThrows(
            FeedRejected.class,
            () ->
                FeedVerifier.verifySnapshot(
                    snapshot(b, 5, List.of(forged, own)), "b", Set.of(), known(a, b)));
    assertTrue(
        refused.getMessage().contains("entry 3 differs from what its origin signed"),
        refused.getMessage());

    // a relayed entry of a node this reader does not know
    FeedRejected unknown =
        assertThrows(
            FeedRejected.class,
            () ->
                FeedVerifier.verifySnapshot(
                    snapshot(b, 5, List.of(relayed, own)), "b", Set.of(), known(b)));
    assertTrue(unknown.getMessage().contains("unknown origin a"), unknown.getMessage());
  }
}
