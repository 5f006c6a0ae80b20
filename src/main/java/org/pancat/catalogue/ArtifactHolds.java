package org.pancat.catalogue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.pancat.trust.Evidence;
import org.pancat.trust.EvidenceSubject;
import org.pancat.trust.TrustJudged;
import org.pancat.trust.TrustPolicyChanged;

/**
 * Follows trust's judgements: an artifact imported under a trusted-only policy shows while, and
 * only while, this node trusts it; a facility's new trust policy re-judges its artifacts that carry
 * evidence. Both in the transaction of the change that caused them.
 */
@ApplicationScoped
class ArtifactHolds {
  private final EntityManager em;
  private final ArtifactRepository artifacts;
  private final Evidence evidence;

  ArtifactHolds(EntityManager em, ArtifactRepository artifacts, Evidence evidence) {
    this.em = em;
    this.artifacts = artifacts;
    this.evidence = evidence;
  }

  void onJudged(@Observes TrustJudged judged) {
    artifacts.includingHeld(
        () -> {
          ArtifactEntity artifact = artifacts.findById(judged.artifactId());
          if (artifact != null) {
            artifact.held = artifact.trustedOnly && !judged.trusted();
          }
          return null;
        });
  }

  void onPolicyChanged(@Observes TrustPolicyChanged changed) {
    List<Object[]> rows =
        artifacts.includingHeld(
            () ->
                em.createQuery(
                        "select a.id, r.softwareId, r.version, a.digest"
                            + " from ArtifactEntity a, ReleaseEntity r, SoftwareEntity s"
                            + " where a.releaseId = r.id and r.softwareId = s.id"
                            + " and s.facilityId = :f order by a.id",
                        Object[].class)
                    .setParameter("f", changed.facility())
                    .getResultList());
    Map<String, EvidenceSubject> subjects =
        rows.stream()
            .map(
                row ->
                    new EvidenceSubject(
                        (String) row[0], (String) row[1], (String) row[2], (String) row[3]))
            .collect(Collectors.toMap(EvidenceSubject::artifactId, Function.identity()));
    Set<String> judged = evidence.withEvidence(subjects.keySet());
    subjects.values().stream()
        .filter(s -> judged.contains(s.artifactId()))
        .sorted(Comparator.comparing(EvidenceSubject::artifactId))
        .forEach(s -> evidence.reevaluate(s, changed.actor()));
  }

  /** What trust needs to know of an artifact to judge evidence about it. */
  static EvidenceSubject subject(ArtifactEntity artifact, ReleaseEntity release) {
    return new EvidenceSubject(artifact.id, release.softwareId, release.version, artifact.digest);
  }
}
