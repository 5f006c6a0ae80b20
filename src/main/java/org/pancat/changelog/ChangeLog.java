package org.pancat.changelog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

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
      Change.Op op, String entity, String id, String version, String actor, Object body) {
    ChangeLogHead head =
        em.find(ChangeLogHead.class, ChangeLogHead.ID, LockModeType.PESSIMISTIC_WRITE);
    head.lastSeq++;
    ChangeLogEntry entry = new ChangeLogEntry();
    entry.seq = head.lastSeq;
    entry.op = op.name();
    entry.entity = entity;
    entry.entityId = id;
    entry.version = version;
    entry.actor = actor;
    entry.at = Instant.now();
    try {
      entry.body = mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("change body cannot be serialised", e);
    }
    em.persist(entry);
    appended.fire(new ChangeAppended(entry.seq, entity, id));
    return entry.seq;
  }

  @Transactional
  public List<Change> after(long after, int limit) {
    return em
        .createQuery(
            "from ChangeLogEntry e where e.seq > :after order by e.seq", ChangeLogEntry.class)
        .setParameter("after", after)
        .setMaxResults(limit)
        .getResultList()
        .stream()
        .map(this::toChange)
        .toList();
  }

  /** Every change of one entity, oldest first (history views). */
  @Transactional
  public List<Change> of(String entity, String id) {
    return em
        .createQuery(
            "from ChangeLogEntry e where e.entity = :entity and e.entityId = :id order by e.seq",
            ChangeLogEntry.class)
        .setParameter("entity", entity)
        .setParameter("id", id)
        .getResultList()
        .stream()
        .map(this::toChange)
        .toList();
  }

  /**
   * Every change of one release and of the given entities about its artifacts, oldest first.
   *
   * @param artifactEntities entity names whose id is an artifact id
   */
  @Transactional
  public List<Change> ofRelease(
      String softwareId, String version, List<String> artifactEntities, List<String> artifactIds) {
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
      query.setParameter("entities", artifactEntities).setParameter("artifacts", artifactIds);
    }
    return query.getResultList().stream().map(this::toChange).toList();
  }

  @Transactional
  public long head() {
    return em.find(ChangeLogHead.class, ChangeLogHead.ID).lastSeq;
  }

  /** This log's identity, created on first call. */
  @Transactional
  public String logId() {
    ChangeLogHead head =
        em.find(ChangeLogHead.class, ChangeLogHead.ID, LockModeType.PESSIMISTIC_WRITE);
    if (head.logId == null) {
      head.logId = java.util.UUID.randomUUID().toString();
    }
    return head.logId;
  }

  private Change toChange(ChangeLogEntry e) {
    try {
      JsonNode body = mapper.readTree(e.body);
      return new Change(
          e.seq, Change.Op.valueOf(e.op), e.entity, e.entityId, e.version, e.actor, e.at, body);
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
