package org.pancat.changelog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.pancat.kernel.EntityKind;

/**
 * The append-only change log. {@link #append} must run inside the writer's transaction, so the
 * change and its log row commit or roll back together.
 */
@ApplicationScoped
public class ChangeLog {
  private final EntityManager em;
  private final ObjectMapper mapper;
  private final Event<ChangeAppended> appended;

  ChangeLog(EntityManager em, ObjectMapper mapper, Event<ChangeAppended> appended) {
    this.em = em;
    this.mapper = mapper;
    this.appended = appended;
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public long append(
      Change.Op op, EntityKind kind, String id, String version, String actor, Object body) {
    return appendItem(op, kind, id, version, "", actor, body);
  }

  /**
   * Appends a change about one {@code item} of an entity (one of several signatures of an
   * artifact), so each item's latest change can be told apart.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public long appendItem(
      Change.Op op,
      EntityKind kind,
      String id,
      String version,
      String item,
      String actor,
      Object body) {
    String json;
    try {
      json = mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("change body cannot be serialised", e);
    }
    ChangeLogEntry entry = newEntry(op, kind, id, version, item, actor, Instant.now(), json);
    return persist(entry);
  }

  /**
   * Appends a change imported from another node exactly as its origin signed it, so it can be
   * relayed on and still verify against the origin's keys. Only a change of a known kind is
   * imported (an importer applied it).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public long appendImported(Change imported, String canonicalBody) {
    ChangeLogEntry entry =
        newEntry(
            imported.op(),
            imported.kind().orElseThrow(),
            imported.id(),
            imported.version(),
            imported.item(),
            imported.actor(),
            imported.at(),
            canonicalBody);
    entry.origin = imported.origin();
    entry.originSeq = imported.originSeq();
    entry.originSig = imported.originSig();
    return persist(entry);
  }

  /**
   * Keeps this node's signature over one of its own changes, made once when first served (the
   * change was read in this transaction, so this is an update batched at commit, not a query).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void recordOriginSignature(long seq, String signature) {
    ChangeLogEntry entry = em.find(ChangeLogEntry.class, seq);
    if (entry.origin == null && entry.originSig == null) {
      entry.originSig = signature;
    }
  }

  /**
   * The newest origin position this node holds of the keys (origin, entity, id, version, item) of
   * the given imported changes, by {@link #key}; a change at or below it is already superseded.
   * Every superseded change's key is in the map; others may be left out: keys are looked up only
   * for origins of which this node holds something at or after the changes' first position, so a
   * feed read in order (the usual case) costs one index probe per origin, not a lookup per entry.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Map<String, Long> latestOriginSeqs(Collection<Change> changes) {
    Map<String, Long> first = new HashMap<>();
    changes.forEach(c -> first.merge(c.origin(), c.originSeq(), Math::min));
    Set<String> origins = new HashSet<>();
    first.forEach(
        (origin, from) -> {
          if (holdsFrom(origin, from)) {
            origins.add(origin);
          }
        });
    Map<String, Long> latest = new HashMap<>();
    if (origins.isEmpty()) {
      return latest;
    }
    Set<String> ids = new HashSet<>();
    changes.stream().filter(c -> origins.contains(c.origin())).forEach(c -> ids.add(c.id()));
    em.createQuery(
            "select e.origin, e.entity, e.entityId, e.version, e.item, max(e.originSeq)"
                + " from ChangeLogEntry e where e.origin in :origins and e.entityId in :ids"
                + " group by e.origin, e.entity, e.entityId, e.version, e.item",
            Object[].class)
        .setParameter("origins", origins)
        .setParameter("ids", ids)
        .getResultList()
        .forEach(
            row ->
                latest.put(
                    key(
                        (String) row[0],
                        (String) row[1],
                        (String) row[2],
                        (String) row[3],
                        (String) row[4]),
                    (Long) row[5]));
    return latest;
  }

  /** Whether this node holds a change of {@code origin} at or after position {@code from}. */
  private boolean holdsFrom(String origin, long from) {
    // a range seek on (origin, origin_seq); max() would scan every change of the origin on H2
    return !em.createQuery(
            "select e.originSeq from ChangeLogEntry e"
                + " where e.origin = :origin and e.originSeq >= :from",
            Long.class)
        .setParameter("origin", origin)
        .setParameter("from", from)
        .setMaxResults(1)
        .getResultList()
        .isEmpty();
  }

  /** The key of a change: which entity (or item of it) of which origin it is about. */
  public static String key(String origin, String entity, String id, String version, String item) {
    return origin + "\n" + entity + "\n" + id + "\n" + version + "\n" + item;
  }

  private ChangeLogEntry newEntry(
      Change.Op op,
      EntityKind kind,
      String id,
      String version,
      String item,
      String actor,
      Instant at,
      String body) {
    ChangeLogEntry entry = new ChangeLogEntry();
    entry.op = op.name();
    entry.entity = kind.wireName();
    entry.entityId = id;
    entry.version = version;
    entry.item = item;
    entry.actor = actor;
    entry.at = at;
    entry.body = body;
    return entry;
  }

  private long persist(ChangeLogEntry entry) {
    ChangeLogHead head =
        em.find(ChangeLogHead.class, ChangeLogHead.ID, LockModeType.PESSIMISTIC_WRITE);
    head.lastSeq++;
    entry.seq = head.lastSeq;
    em.persist(entry);
    appended.fire(
        new ChangeAppended(
            entry.seq,
            EntityKind.ofWireName(entry.entity).orElseThrow(),
            entry.entityId,
            entry.origin,
            entry.actor));
    return entry.seq;
  }

  @Transactional
  public List<Change> after(long after, int limit) {
    return changes(
        em.createQuery(
                "from ChangeLogEntry e where e.seq > :after order by e.seq", ChangeLogEntry.class)
            .setParameter("after", after)
            .setMaxResults(limit));
  }

  /**
   * The changes in {@code (after, upTo]} that are the latest of their kind (upsert or tombstone)
   * for their key (origin, entity, id, version, item) as of {@code upTo}, oldest first: the log
   * compacted to one seq, for snapshots. A withdrawn entity keeps its last upsert and its
   * tombstone.
   */
  @Transactional
  public List<Change> latestOfEachKey(long after, long upTo, int limit) {
    return changes(
        em.createQuery(
                "from ChangeLogEntry e where e.seq > :after and e.seq <= :upTo and not exists ("
                    + "select 1 from ChangeLogEntry d where d.entity = e.entity"
                    + " and d.entityId = e.entityId and d.item = e.item and d.op = e.op"
                    + " and d.seq > e.seq and d.seq <= :upTo"
                    + " and coalesce(d.origin, '') = coalesce(e.origin, '')"
                    + " and coalesce(d.version, '') = coalesce(e.version, '')) order by e.seq",
                ChangeLogEntry.class)
            .setParameter("after", after)
            .setParameter("upTo", upTo)
            .setMaxResults(limit));
  }

  /** Every change of one entity, oldest first (history views). */
  @Transactional
  public List<Change> of(EntityKind kind, String id) {
    return changes(
        em.createQuery(
                "from ChangeLogEntry e where e.entity = :entity and e.entityId = :id order by e.seq",
                ChangeLogEntry.class)
            .setParameter("entity", kind.wireName())
            .setParameter("id", id));
  }

  /** Every change of one release and of its artifacts, their evidence and trust, oldest first. */
  @Transactional
  public List<Change> ofRelease(String softwareId, String version, List<String> artifactIds) {
    String artifacts =
        artifactIds.isEmpty() ? "" : " or (e.entity in :entities and e.entityId in :artifacts)";
    var query =
        em.createQuery(
                "from ChangeLogEntry e where (e.entity = 'release' and e.entityId = :software"
                    + " and e.version = :version)"
                    + artifacts
                    + " order by e.seq",
                ChangeLogEntry.class)
            .setParameter("software", softwareId)
            .setParameter("version", version);
    if (!artifactIds.isEmpty()) {
      query
          .setParameter(
              "entities",
              Arrays.stream(EntityKind.values())
                  .filter(EntityKind::isAboutArtifact)
                  .map(EntityKind::wireName)
                  .toList())
          .setParameter("artifacts", artifactIds);
    }
    return changes(query);
  }

  @Transactional
  public long head() {
    return em.find(ChangeLogHead.class, ChangeLogHead.ID).lastSeq;
  }

  /**
   * This log's identity, created on first call. Read without a lock once it exists: the search
   * indexer asks after every commit, and a locking read would wait for (and, on H2, write beside)
   * every transaction appending to the log.
   */
  @Transactional
  public String logId() {
    ChangeLogHead head = em.find(ChangeLogHead.class, ChangeLogHead.ID);
    if (head.logId != null) {
      return head.logId;
    }
    em.refresh(head, LockModeType.PESSIMISTIC_WRITE); // another writer may have just made it
    if (head.logId == null) {
      head.logId = UUID.randomUUID().toString();
    }
    return head.logId;
  }

  private List<Change> changes(TypedQuery<ChangeLogEntry> query) {
    return query.getResultList().stream().map(this::toChange).toList();
  }

  private Change toChange(ChangeLogEntry e) {
    try {
      JsonNode body = mapper.readTree(e.body);
      return new Change(
          e.seq,
          Change.Op.valueOf(e.op),
          e.entity,
          e.entityId,
          e.version,
          e.actor,
          e.at,
          body,
          e.item,
          e.origin,
          e.originSeq,
          e.originSig);
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
