package org.pancat.catalogue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.trust.ProvenanceEvidence;
import org.pancat.trust.TrustEvaluator;
import org.pancat.trust.TrustPolicies;
import org.pancat.trust.TrustPolicyChanged;
import org.pancat.trust.TrustRecords;
import org.pancat.trust.TrustResult;
import org.pancat.trust.VerifiedSignature;

/**
 * Keeps each artifact's trust current: evaluates it from its verified signatures, provenance and
 * its facility's policy whenever one of them changes, and logs every changed judgement as a {@code
 * trust} change (so search, history and peers see it) in the writer's transaction.
 */
@ApplicationScoped
class ArtifactTrust {
  private final EntityManager em;
  private final TrustPolicies policies;
  private final TrustRecords records;
  private final ChangeLog changeLog;

  ArtifactTrust(
      EntityManager em, TrustPolicies policies, TrustRecords records, ChangeLog changeLog) {
    this.em = em;
    this.policies = policies;
    this.records = records;
    this.changeLog = changeLog;
  }

  /** Re-evaluates one artifact; returns its (possibly unchanged) trust. */
  @Transactional(Transactional.TxType.MANDATORY)
  TrustResult reevaluate(ArtifactEntity artifact, ReleaseEntity release, String actor) {
    String facility = release.softwareId.substring(0, release.softwareId.indexOf('/'));
    var policy = policies.current(facility);
    List<VerifiedSignature> signatures =
        em
            .createQuery(
                "from SignatureEntity s where s.artifactId = :id order by s.attachedAt, s.id",
                SignatureEntity.class)
            .setParameter("id", artifact.id)
            .getResultList()
            .stream()
            .map(SignatureEntity::verified)
            .filter(Objects::nonNull)
            .toList();
    List<ProvenanceEvidence> provenance =
        em
            .createQuery(
                "from ProvenanceEntity p where p.artifactId = :id order by p.attachedAt, p.id",
                ProvenanceEntity.class)
            .setParameter("id", artifact.id)
            .getResultList()
            .stream()
            .map(
                p ->
                    new ProvenanceEvidence(
                        p.builderId, p.sourceRepository, p.sourceCommit, p.triggeredBy, p.signer()))
            .toList();
    TrustResult result =
        TrustEvaluator.evaluate(
            facility,
            policy.map(TrustPolicies.Versioned::policy).orElse(null),
            policy.map(TrustPolicies.Versioned::version).orElse(null),
            signatures,
            provenance,
            Instant.now());
    // a trusted-only import shows while, and only while, this node trusts it
    artifact.held = artifact.trustedOnly && !result.trusted();
    if (records.record(artifact.id, result)) {
      changeLog.append(
          Change.Op.upsert,
          "trust",
          artifact.id,
          release.version,
          actor,
          Map.of("software", release.softwareId, "artifact", artifact.id, "trust", result));
    }
    return result;
  }

  /** A policy change re-judges every artifact of the facility that carries evidence. */
  void onPolicyChanged(@Observes TrustPolicyChanged event) {
    List<Object[]> rows =
        em.createQuery(
                "select a, r from ArtifactEntity a, ReleaseEntity r, SoftwareEntity s"
                    + " where a.releaseId = r.id and r.softwareId = s.id and s.facilityId = :f"
                    + " and (exists (select 1 from SignatureEntity g where g.artifactId = a.id)"
                    + " or exists (select 1 from ProvenanceEntity p where p.artifactId = a.id))"
                    + " order by a.id",
                Object[].class)
            .setParameter("f", event.facility())
            .getResultList();
    for (Object[] row : rows) {
      reevaluate((ArtifactEntity) row[0], (ReleaseEntity) row[1], event.actor());
    }
  }
}
