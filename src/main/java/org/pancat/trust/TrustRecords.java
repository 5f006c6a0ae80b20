package org.pancat.trust;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.pancat.kernel.CanonicalJson;

/** Each artifact's current trust result; an artifact without one carries no evidence yet. */
@ApplicationScoped
public class TrustRecords {
  private final EntityManager em;
  private final CanonicalJson json;

  TrustRecords(EntityManager em, CanonicalJson json) {
    this.em = em;
    this.json = json;
  }

  /**
   * Stores {@code result} as the artifact's trust. Returns false, storing nothing, when it says the
   * same as the stored one (only the evaluation time differs), so re-evaluations that change
   * nothing do not reach the change log.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean record(String artifactId, TrustResult result) {
    ArtifactTrustEntity e = em.find(ArtifactTrustEntity.class, artifactId);
    if (e != null && sameJudgement(json.read(e.document, TrustResult.class), result)) {
      return false;
    }
    boolean created = e == null;
    if (created) {
      e = new ArtifactTrustEntity();
      e.artifactId = artifactId;
    }
    e.trustClass = result.trustClass();
    e.policyVersion = result.policyVersion();
    e.document = json.write(result);
    e.evaluatedAt = result.evaluatedAt();
    if (created) {
      em.persist(e);
    }
    return true;
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public TrustResult current(String artifactId) {
    ArtifactTrustEntity e = em.find(ArtifactTrustEntity.class, artifactId);
    return e == null ? TrustResult.NO_EVIDENCE : json.read(e.document, TrustResult.class);
  }

  /** Trust class per artifact id, in one query. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Map<String, String> classes(Collection<String> artifactIds) {
    Map<String, String> result = new HashMap<>();
    artifactIds.forEach(id -> result.put(id, TrustResult.UNTRUSTED));
    if (!artifactIds.isEmpty()) {
      em.createQuery(
              "select t.artifactId, t.trustClass from ArtifactTrustEntity t"
                  + " where t.artifactId in :ids",
              Object[].class)
          .setParameter("ids", artifactIds)
          .getResultList()
          .forEach(row -> result.put((String) row[0], (String) row[1]));
    }
    return result;
  }

  /** The trust result per artifact id, in one query; no evidence where none is stored. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Map<String, TrustResult> results(Collection<String> artifactIds) {
    Map<String, TrustResult> result = new HashMap<>();
    artifactIds.forEach(id -> result.put(id, TrustResult.NO_EVIDENCE));
    if (!artifactIds.isEmpty()) {
      em.createQuery(
              "from ArtifactTrustEntity t where t.artifactId in :ids", ArtifactTrustEntity.class)
          .setParameter("ids", artifactIds)
          .getResultList()
          .forEach(e -> result.put(e.artifactId, json.read(e.document, TrustResult.class)));
    }
    return result;
  }

  private static boolean sameJudgement(TrustResult a, TrustResult b) {
    return a.trustClass().equals(b.trustClass())
        && a.reasons().equals(b.reasons())
        && a.signers().equals(b.signers())
        && a.provenance().equals(b.provenance())
        && Objects.equals(a.policyVersion(), b.policyVersion());
  }
}
