package org.pancat.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pancat.access.AccessPolicy;
import org.pancat.access.Disclosure;
import org.pancat.access.SharingClass;
import org.pancat.catalogue.CatalogueQueries;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.EntityKind;
import org.pancat.trust.ProvenanceView;
import org.pancat.trust.SignatureView;

/**
 * Serves the change log as signed feed pages. Only what may leave the node leaves it: catalogue
 * entities (not compute resources or local trust policies), non-shareable artifacts without their
 * reference or any document that could name it, restricted ones with their conditions (peers
 * enforce them).
 */
@ApplicationScoped
public class FeedExporter {
  public static final int MAX_PAGE = 1000;

  private final ChangeLog changeLog;
  private final CatalogueQueries catalogue;
  private final NodeKeys keys;
  private final AccessPolicy access;
  private final PeerDirectory peers;
  private final Clock clock = Clock.systemUTC();

  FeedExporter(
      ChangeLog changeLog,
      CatalogueQueries catalogue,
      NodeKeys keys,
      AccessPolicy access,
      PeerDirectory peers) {
    this.peers = peers;
    this.changeLog = changeLog;
    this.catalogue = catalogue;
    this.keys = keys;
    this.access = access;
  }

  /**
   * The page after {@code after}, as a compact JWS signed by this node. The head is read after the
   * entries: every entry read is committed, and a seq is taken under the head's lock, so the head
   * then is at or past the last entry (read before them, a commit in between made a page whose
   * {@code next} was above its {@code head}, which honest peers refuse).
   */
  @Transactional
  public String page(long after, int limit) {
    List<Change> changes = changeLog.after(after, limit);
    long next = changes.isEmpty() ? after : changes.get(changes.size() - 1).seq();
    long head = changeLog.head();
    List<FeedEntry> entries = entries(changes);
    FeedPage page =
        new FeedPage(
            keys.nodeId(), after, next, head, clock.instant(), entries, originKeys(entries));
    return keys.sign(CanonicalJson.utf8(page));
  }

  /** The keys this node holds of the origins of the entries it relays (pinned, never fetched). */
  private Map<String, Map<String, Object>> originKeys(List<FeedEntry> entries) {
    Map<String, Map<String, Object>> carried = new TreeMap<>();
    for (FeedEntry e : entries) {
      if (!e.origin().equals(keys.nodeId()) && !carried.containsKey(e.origin())) {
        peers
            .knownKeysOf(e.origin())
            .filter(k -> !k.getKeys().isEmpty())
            .ifPresent(k -> carried.put(e.origin(), k.toJSONObject(true)));
      }
    }
    return carried;
  }

  /**
   * The changes that may leave this node, as feed entries: this node's own signed as their origin
   * (non-shareable artifacts without their reference), imported ones as their origin signed them.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  List<FeedEntry> entries(List<Change> changes) {
    List<String> artifactIds = new ArrayList<>();
    for (Change c : changes) {
      artifactOf(c).ifPresent(artifactIds::add);
    }
    Map<String, CatalogueQueries.ExportFacts> facts = catalogue.exportFacts(artifactIds);
    List<FeedEntry> entries = new ArrayList<>();
    for (Change c : changes) {
      if (c.kind().isEmpty()) {
        continue;
      }
      if (!c.isLocal()) {
        if (access.mayExport(c.kind().get())) {
          entries.add(relayed(c));
        }
        continue;
      }
      boolean aboutImported =
          artifactOf(c).map(facts::get).map(CatalogueQueries.ExportFacts::imported).orElse(false);
      if (access.mayExport(c.kind().get(), aboutImported)) {
        entries.add(local(c, facts));
      }
    }
    return entries;
  }

  /**
   * One of this node's own changes, signed as its origin. The signature is made once, when first
   * served, and kept, so every peer relays the same entry.
   */
  private FeedEntry local(Change c, Map<String, CatalogueQueries.ExportFacts> facts) {
    Optional<Disclosure> disclosure =
        artifactOf(c)
            .map(
                id ->
                    Optional.ofNullable(facts.get(id))
                        .flatMap(f -> SharingClass.parse(f.sharingClass()))
                        .orElse(SharingClass.NON_SHAREABLE))
            .map(access::exportDisclosure);
    FeedEntry entry =
        new FeedEntry(
            c.seq(),
            keys.nodeId(),
            c.seq(),
            c.op().name(),
            c.entity(),
            c.id(),
            c.version(),
            c.item(),
            c.actor(),
            c.at(),
            disclosure.isEmpty() || disclosure.get().reference()
                ? c.body()
                : redact(c, disclosure.get()),
            null);
    String signature = c.originSig();
    if (signature == null) {
      signature = keys.signDetached(CanonicalJson.utf8(entry.signable()));
      changeLog.recordOriginSignature(c.seq(), signature);
    }
    return entry.signed(signature);
  }

  /** A change imported from another node, passed on exactly as its origin signed it. */
  private static FeedEntry relayed(Change c) {
    return new FeedEntry(
        c.seq(),
        c.origin(),
        c.originSeq(),
        c.op().name(),
        c.entity(),
        c.id(),
        c.version(),
        c.item(),
        c.actor(),
        c.at(),
        c.body(),
        c.originSig());
  }

  private static Optional<String> artifactOf(Change c) {
    if (c.is(EntityKind.ARTIFACT)) {
      return Optional.of(c.id());
    }
    return c.kind().filter(EntityKind::isAboutArtifact).isPresent()
        ? Optional.ofNullable(c.body().path("artifact").textValue())
        : Optional.empty();
  }

  /**
   * An artifact's change as the export disclosure allows: without the reference, and without the
   * signature and provenance documents (their subjects and payloads name the image).
   */
  private static JsonNode redact(Change c, Disclosure disclosure) {
    ObjectNode body = c.body().deepCopy();
    if (body.path("artifact").isObject()) {
      ((ObjectNode) body.get("artifact")).remove("reference");
    }
    if (body.path("signature").isObject()) {
      ((ObjectNode) body.get("signature")).remove(SignatureView.DOCUMENTS);
    }
    if (body.path("provenance").isObject()) {
      ((ObjectNode) body.get("provenance")).remove(ProvenanceView.DOCUMENTS);
    }
    body.put("redacted", disclosure.withheld());
    return body;
  }
}
