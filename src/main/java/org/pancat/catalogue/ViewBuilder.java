package org.pancat.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.pancat.access.AccessAudit;
import org.pancat.access.AccessDecision;
import org.pancat.access.AccessPolicy;
import org.pancat.access.Disclosure;
import org.pancat.access.Principal;
import org.pancat.access.SharingClass;
import org.pancat.access.SharingConditions;
import org.pancat.kernel.CanonicalJson;
import org.pancat.trust.Evidence;
import org.pancat.trust.TrustRecords;
import org.pancat.trust.TrustResult;

/**
 * Turns stored rows into views. The artifact reference is filled in only when {@link AccessPolicy}
 * grants it to the principal the view is built for.
 */
@ApplicationScoped
class ViewBuilder {
  private final EntityManager em;
  private final CanonicalJson json;
  private final AccessPolicy policy;
  private final AccessAudit audit;

  private final TrustRecords records;
  private final Evidence evidence;
  private final ArtifactRepository artifacts;
  private final ReleaseRepository releases;

  ViewBuilder(
      EntityManager em,
      CanonicalJson json,
      AccessPolicy policy,
      AccessAudit audit,
      TrustRecords records,
      Evidence evidence,
      ArtifactRepository artifacts,
      ReleaseRepository releases) {
    this.artifacts = artifacts;
    this.releases = releases;
    this.em = em;
    this.records = records;
    this.evidence = evidence;
    this.json = json;
    this.policy = policy;
    this.audit = audit;
  }

  Views.FacilityView facility(FacilityEntity e) {
    return new Views.FacilityView(
        e.id, json.read(e.document, FacilityDocument.class), e.createdAt, e.updatedAt);
  }

  Views.SoftwareView software(SoftwareEntity e) {
    List<String> versions = releases.versionsNewestFirst(e.id);
    return new Views.SoftwareView(
        e.id,
        e.facilityId,
        e.slug,
        json.read(e.document, SoftwareDocument.class),
        mostOpenSharing(e.id),
        versions,
        e.createdAt,
        e.createdBy,
        e.updatedAt,
        e.updatedBy,
        e.withdrawal().view(),
        e.origin);
  }

  Views.ReleaseView release(ReleaseEntity e, Principal principal) {
    List<Views.ArtifactView> artifacts =
        this.artifacts.ofRelease(e.id).list().stream()
            .map(a -> artifact(a, e, principal, false))
            .toList();
    return new Views.ReleaseView(
        e.softwareId,
        e.version,
        json.read(e.document, ReleaseDocument.class),
        e.publishedAt,
        e.publishedBy,
        e.withdrawal().view(),
        artifacts);
  }

  /**
   * @param withEvidence include signature and provenance documents (detail view); lists carry only
   *     the trust summary
   */
  Views.ArtifactView artifact(
      ArtifactEntity e, ReleaseEntity release, Principal principal, boolean withEvidence) {
    ArtifactDocument doc = json.read(e.document, ArtifactDocument.class);
    Disclosure disclosure = disclosure(e, release, doc, principal);
    AccessDecision access = disclosure.access();
    TrustResult trust = records.current(e.id);
    return new Views.ArtifactView(
        e.id,
        release.softwareId,
        release.version,
        e.kind,
        disclosure.reference() ? e.reference : null,
        e.digest,
        doc.platforms(),
        doc.requirements(),
        doc.runtimes(),
        doc.labels(),
        doc.derivedFrom(),
        new Views.SharingView(e.sharingClass, doc.sharing().conditions()),
        access,
        trust,
        e.originTrust == null ? null : json.read(e.originTrust, JsonNode.class),
        withEvidence ? evidence.signatures(e.id, disclosure) : List.of(),
        withEvidence ? evidence.provenance(e.id, disclosure) : List.of(),
        e.publishedAt,
        e.publishedBy,
        e.withdrawal().view());
  }

  /**
   * What {@code principal} may see of the artifact, as the access policy decides it. Every reveal
   * of a restricted or non-shareable reference, or of the evidence that names it, is audited.
   */
  Disclosure disclosure(ArtifactEntity e, ReleaseEntity release, Principal principal) {
    return disclosure(e, release, json.read(e.document, ArtifactDocument.class), principal);
  }

  private Disclosure disclosure(
      ArtifactEntity e, ReleaseEntity release, ArtifactDocument doc, Principal principal) {
    String home = release.softwareId.substring(0, release.softwareId.indexOf('/'));
    if (e.reference == null) {
      return policy.disclosureWithoutReference(home);
    }
    SharingClass sharing = SharingClass.parse(e.sharingClass).orElseThrow();
    SharingConditions conditions =
        doc.sharing().conditions() == null ? SharingConditions.NONE : doc.sharing().conditions();
    Disclosure disclosure = policy.disclosure(principal, home, sharing, conditions);
    if (disclosure.reference() && sharing != SharingClass.OPEN) {
      audit.record(
          principal, "reveal", e.id, e.sharingClass + ": " + disclosure.access().reasons().get(0));
    }
    return disclosure;
  }

  /**
   * The full, unfiltered artifact as recorded in the change log, with the salt that binds its id to
   * its release (see {@link ArtifactIds}).
   */
  Map<String, Object> artifactRecord(ArtifactEntity e, ReleaseEntity release, String idSalt) {
    return Map.of(
        "id", e.id,
        "software", release.softwareId,
        "version", release.version,
        "idSalt", idSalt,
        "artifact", json.read(e.document, JsonNode.class));
  }

  /** Facts of one software from its live artifacts (the caller loads them in bulk). */
  SoftwareFacts facts(
      SoftwareEntity e,
      SoftwareDocument document,
      List<String> versions,
      List<ArtifactEntity> liveArtifacts,
      Map<String, TrustResult> trustByArtifact) {
    Set<String> sharing = new TreeSet<>();
    Set<String> trust = new TreeSet<>();
    Set<String> signers = new TreeSet<>();
    Set<String> kinds = new TreeSet<>();
    Set<String> arches = new TreeSet<>();
    Set<String> gpus = new TreeSet<>();
    Set<String> runtimes = new TreeSet<>();
    for (ArtifactEntity a : liveArtifacts) {
      ArtifactDocument doc = json.read(a.document, ArtifactDocument.class);
      sharing.add(a.sharingClass);
      kinds.add(a.kind);
      doc.platforms().forEach(p -> arches.add(p.arch()));
      if (doc.requirements() != null && doc.requirements().gpuVendor() != null) {
        gpus.add(doc.requirements().gpuVendor());
      }
      runtimes.addAll(doc.runtimes());
      TrustResult judged = trustByArtifact.getOrDefault(a.id, TrustResult.NO_EVIDENCE);
      trust.add(judged.trustClass());
      judged.signers().stream()
          .filter(TrustResult.SignerView::trustedByPolicy)
          .forEach(
              s ->
                  signers.add(
                      s.issuer() != null
                          ? s.identity() + " via " + s.issuer()
                          : "key " + (s.key() != null ? s.key() : s.identity())));
    }
    return new SoftwareFacts(
        e.id,
        e.facilityId,
        e.slug,
        e.origin,
        document,
        e.withdrawal().isWithdrawn(),
        mostOpen(sharing),
        sharing,
        trust,
        signers,
        kinds,
        arches,
        gpus,
        runtimes,
        versions);
  }

  /** Trust class per artifact id, in one query. */
  Map<String, String> trustClasses(List<String> artifactIds) {
    return records.classes(artifactIds);
  }

  /** Full trust results per artifact id, in one query (for derived data). */
  Map<String, TrustResult> trustResults(List<String> artifactIds) {
    return records.results(artifactIds);
  }

  /** Software metadata follows its most open live artifact; null when it has none. */
  private String mostOpenSharing(String softwareId) {
    List<String> classes =
        em.createQuery(
                "select distinct a.sharingClass from ArtifactEntity a, ReleaseEntity r"
                    + " where a.releaseId = r.id and r.softwareId = :id"
                    + " and a.withdrawal.at is null and r.withdrawal.at is null",
                String.class)
            .setParameter("id", softwareId)
            .getResultList();
    return mostOpen(classes);
  }

  private static String mostOpen(Collection<String> classes) {
    return classes.stream()
        .map(c -> SharingClass.parse(c).orElseThrow())
        .min(Comparator.comparingInt(SharingClass::openness))
        .map(SharingClass::value)
        .orElse(null);
  }
}
