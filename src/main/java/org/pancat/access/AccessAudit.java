package org.pancat.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;

/**
 * The audit log of access: every reveal of a restricted or non-shareable reference and every
 * licence acceptance. Entries name artifacts by id, never by reference.
 */
@ApplicationScoped
public class AccessAudit {
  private final EntityManager em;

  AccessAudit(EntityManager em) {
    this.em = em;
  }

  /** An audit entry as an admin reads it. */
  public record Entry(
      long id, Instant at, String actor, String action, String target, String detail) {}

  @Transactional
  public void record(Principal principal, String action, String target, String detail) {
    AuditEntity e = new AuditEntity();
    e.at = Instant.now();
    e.actor = principal.actor();
    e.action = action;
    e.target = target;
    e.detail = detail.length() > 1000 ? detail.substring(0, 1000) : detail;
    em.persist(e);
  }

  /** A page of the log, newest entry first. */
  @Transactional
  public Page<Entry> page(Paging paging) {
    List<Entry> items =
        em
            .createQuery("from AuditEntity e order by e.id desc", AuditEntity.class)
            .setFirstResult((paging.page() - 1) * paging.size())
            .setMaxResults(paging.size())
            .getResultList()
            .stream()
            .map(e -> new Entry(e.id, e.at, e.actor, e.action, e.target, e.detail))
            .toList();
    long total = em.createQuery("select count(e) from AuditEntity e", Long.class).getSingleResult();
    return new Page<>(items, paging.page(), paging.size(), total);
  }
}
