package org.pancat.catalogue;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.pancat.access.Principal;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.Ids;
import org.pancat.kernel.Page;
import org.pancat.problem.ProblemException;
import org.pancat.trust.Evidence;
import org.pancat.trust.FacilityDirectory;
import org.pancat.trust.ProvenanceView;
import org.pancat.trust.SignatureView;
import org.pancat.trust.TrustResult;

/** Reads of the catalogue, paged in a stable order, with views built for the caller. */
@ApplicationScoped
@Transactional
public class CatalogueQueries implements FacilityDirectory {
  private final EntityManager em;
  private final ViewBuilder views;
  private final CanonicalJson json;
  private final ArtifactRepository artifacts;
  private final ReleaseRepository releases;
  private final FacilityRepository facilities;
  private final Evidence evidence;

  CatalogueQueries(
      EntityManager em,
      ViewBuilder views,
      CanonicalJson json,
      ArtifactRepository artifacts,
      ReleaseRepository releases,
      FacilityRepository facilities,
      Evidence evidence) {
    this.facilities = facilities;
    this.releases = releases;
    this.em = em;
    this.artifacts = artifacts;
    this.evidence = evidence;
    this.views = views;
    this.json = json;
  }

  public Page<Views.FacilityView> facilities(int page, int size) {
    return page(facilities.findAll(Sort.by("id")), page, size, views::facility);
  }

  @Override
  public void requireFacility(String id) {
    facility(id);
  }

  public Views.FacilityView facility(String id) {
    Ids.facility(id);
    FacilityEntity facility = facilities.findById(id);
    if (facility == null) {
      throw ProblemException.notFound("facility " + id + " is not registered on this node");
    }
    return views.facility(facility);
  }

  public Views.SoftwareView software(String facility, String slug) {
    return views.software(softwareEntity(facility, slug));
  }

  /** The software, when registered (withdrawn included). */
  public Optional<Views.SoftwareView> findSoftware(String facility, String slug) {
    return Optional.ofNullable(
            em.find(SoftwareEntity.class, Ids.softwareId(Ids.facility(facility), Ids.slug(slug))))
        .map(views::software);
  }

  /**
   * The release, when published (withdrawn included), with its artifacts as the caller sees them.
   */
  public Optional<Views.ReleaseView> findRelease(
      String facility, String slug, String version, Principal principal) {
    return releases
        .of(Ids.softwareId(Ids.facility(facility), Ids.slug(slug)), Ids.version(version))
        .map(r -> views.release(r, principal));
  }

  /** Every live software of the facility, by slug (harvests match packages against them). */
  public List<Views.SoftwareView> softwareOf(String facility) {
    return em.createQuery(
            "from SoftwareEntity s where s.facilityId = :f order by s.slug", SoftwareEntity.class)
        .setParameter("f", Ids.facility(facility))
        .getResultStream()
        .filter(s -> !s.withdrawal().isWithdrawn())
        .map(views::software)
        .toList();
  }

  /** The id of a registered software (withdrawn included), or a 404 problem. */
  public String softwareId(String facility, String slug) {
    return softwareEntity(facility, slug).id;
  }

  public Page<Views.ReleaseView> releases(
      String facility, String slug, Principal principal, int page, int size) {
    SoftwareEntity software = softwareEntity(facility, slug);
    return page(releases.newestFirst(software.id), page, size, r -> views.release(r, principal));
  }

  public Views.ReleaseView release(
      String facility, String slug, String version, Principal principal) {
    return views.release(releaseEntity(facility, slug, version), principal);
  }

  public Page<Views.ArtifactView> artifacts(
      String facility, String slug, String version, Principal principal, int page, int size) {
    ReleaseEntity release = releaseEntity(facility, slug, version);
    return page(
        artifacts.ofRelease(release.id),
        page,
        size,
        a -> views.artifact(a, release, principal, false));
  }

  public Views.ArtifactView artifact(
      String facility, String slug, String version, String artifactId, Principal principal) {
    ReleaseEntity release = releaseEntity(facility, slug, version);
    return views.artifact(artifactEntity(release, artifactId), release, principal, true);
  }

  /** The artifact's signatures, their documents only where the caller may have the reference. */
  public List<SignatureView> signatures(
      String facility, String slug, String version, String artifactId, Principal principal) {
    ReleaseEntity release = releaseEntity(facility, slug, version);
    ArtifactEntity artifact = artifactEntity(release, artifactId);
    return evidence.signatures(artifact.id, views.disclosure(artifact, release, principal));
  }

  /** The artifact's provenance, statements only where the caller may have the reference. */
  public List<ProvenanceView> provenance(
      String facility, String slug, String version, String artifactId, Principal principal) {
    ReleaseEntity release = releaseEntity(facility, slug, version);
    ArtifactEntity artifact = artifactEntity(release, artifactId);
    return evidence.provenance(artifact.id, views.disclosure(artifact, release, principal));
  }

  /**
   * The facts search indexes for each of the given software that exists (missing ids are left out).
   * A fixed number of queries per call, so rebuilding a large index stays fast.
   */
  public Map<String, SoftwareFacts> facts(Collection<String> softwareIds) {
    if (softwareIds.isEmpty()) {
      return Map.of();
    }
    List<SoftwareEntity> software =
        em.createQuery("from SoftwareEntity s where s.id in :ids", SoftwareEntity.class)
            .setParameter("ids", softwareIds)
            .getResultList();
    Map<String, List<String>> versions = new HashMap<>();
    em.createQuery(
            "select r.softwareId, r.version from ReleaseEntity r where r.softwareId in :ids"
                + " order by r.id desc",
            Object[].class)
        .setParameter("ids", softwareIds)
        .getResultList()
        .forEach(
            row ->
                versions
                    .computeIfAbsent((String) row[0], k -> new ArrayList<>())
                    .add((String) row[1]));
    List<Object[]> rows =
        em.createQuery(
                "select a, r.softwareId from ArtifactEntity a, ReleaseEntity r"
                    + " where a.releaseId = r.id and r.softwareId in :ids"
                    + " and a.withdrawal.at is null and r.withdrawal.at is null",
                Object[].class)
            .setParameter("ids", softwareIds)
            .getResultList();
    Map<String, TrustResult> trust =
        views.trustResults(rows.stream().map(row -> ((ArtifactEntity) row[0]).id).toList());
    Map<String, List<ArtifactEntity>> artifacts = new HashMap<>();
    rows.forEach(
        row ->
            artifacts
                .computeIfAbsent((String) row[1], k -> new ArrayList<>())
                .add((ArtifactEntity) row[0]));
    Map<String, SoftwareFacts> facts = new HashMap<>();
    for (SoftwareEntity e : software) {
      facts.put(
          e.id,
          views.facts(
              e,
              json.read(e.document, SoftwareDocument.class),
              versions.getOrDefault(e.id, List.of()),
              artifacts.getOrDefault(e.id, List.of()),
              trust));
    }
    return facts;
  }

  /**
   * Every live artifact of the live releases of the given live software, in the order the ids are
   * given and newest release first. Three projection queries whatever the number of software: no
   * entities are loaded, so nothing is hydrated or dirty-checked on this read-only hot path of
   * launch resolution.
   */
  public List<LaunchCandidate> launchCandidates(List<String> softwareIds) {
    if (softwareIds.isEmpty()) {
      return List.of();
    }
    Map<String, Object[]> software = new HashMap<>();
    em.createQuery(
            "select s.id, s.facilityId, s.document from SoftwareEntity s"
                + " where s.id in :ids and s.withdrawal.at is null",
            Object[].class)
        .setParameter("ids", softwareIds)
        .getResultList()
        .forEach(row -> software.put((String) row[0], row));
    if (software.isEmpty()) {
      return List.of();
    }
    List<Object[]> rows =
        em.createQuery(
                "select r.softwareId, r.version, r.publishedAt, a.id, a.kind, a.reference,"
                    + " a.digest, a.document"
                    + " from ArtifactEntity a, ReleaseEntity r where a.releaseId = r.id"
                    + " and r.softwareId in :ids and a.withdrawal.at is null"
                    + " and r.withdrawal.at is null order by r.id desc, a.id",
                Object[].class)
            .setParameter("ids", software.keySet())
            .getResultList();
    // a separate lookup: joining artifact_trust in makes H2 scan the artifact table
    Map<String, String> trust =
        views.trustClasses(rows.stream().map(row -> (String) row[3]).toList());
    Map<String, SoftwareDocument> documents = new HashMap<>();
    Map<String, List<LaunchCandidate>> bySoftware = new HashMap<>();
    for (Object[] row : rows) {
      String softwareId = (String) row[0];
      Object[] s = software.get(softwareId);
      SoftwareDocument doc =
          documents.computeIfAbsent(
              softwareId, id -> json.read((String) s[2], SoftwareDocument.class));
      String version = (String) row[1];
      String artifactId = (String) row[3];
      bySoftware
          .computeIfAbsent(softwareId, id -> new ArrayList<>())
          .add(
              new LaunchCandidate(
                  softwareId,
                  doc.name(),
                  doc.licence(),
                  (String) s[1],
                  version,
                  (Instant) row[2],
                  artifactId,
                  (String) row[4],
                  (String) row[5],
                  (String) row[6],
                  json.read((String) row[7], ArtifactDocument.class),
                  trust.get(artifactId),
                  "/api/v1/software/"
                      + softwareId
                      + "/releases/"
                      + version
                      + "/artifacts/"
                      + artifactId
                      + "/signatures"));
    }
    List<LaunchCandidate> candidates = new ArrayList<>();
    for (String id : softwareIds) {
      candidates.addAll(bySoftware.getOrDefault(id, List.of()));
    }
    return candidates;
  }

  /**
   * What the feed export needs to know of an artifact: its sharing class, and whether it was
   * imported (its facility belongs to another node).
   */
  public record ExportFacts(String sharingClass, boolean imported) {}

  /** {@link ExportFacts} of each of the given artifacts (held ones included), in one query. */
  public Map<String, ExportFacts> exportFacts(Collection<String> artifactIds) {
    Map<String, ExportFacts> result = new HashMap<>();
    if (!artifactIds.isEmpty()) {
      artifacts
          .includingHeld(
              () ->
                  em.createQuery(
                          "select a.id, a.sharingClass, s.origin"
                              + " from ArtifactEntity a, ReleaseEntity r, SoftwareEntity s"
                              + " where a.releaseId = r.id and r.softwareId = s.id"
                              + " and a.id in :ids",
                          Object[].class)
                      .setParameter("ids", artifactIds)
                      .getResultList())
          .forEach(
              row -> result.put((String) row[0], new ExportFacts((String) row[1], row[2] != null)));
    }
    return result;
  }

  /** Software ids after {@code afterId} in id order (keyset paging for rebuilding derived data). */
  public List<String> softwareIdsAfter(String afterId, int limit) {
    return em.createQuery(
            "select s.id from SoftwareEntity s where s.id > :after order by s.id", String.class)
        .setParameter("after", afterId)
        .setMaxResults(limit)
        .getResultList();
  }

  /** True when nothing has been registered yet (used to decide whether to load demo content). */
  public boolean isEmpty() {
    return facilities.count() == 0;
  }

  private SoftwareEntity softwareEntity(String facility, String slug) {
    String id = Ids.softwareId(Ids.facility(facility), Ids.slug(slug));
    SoftwareEntity software = em.find(SoftwareEntity.class, id);
    if (software == null) {
      throw ProblemException.notFound("software " + id + " is not registered");
    }
    return software;
  }

  ReleaseEntity releaseEntity(String facility, String slug, String version) {
    SoftwareEntity software = softwareEntity(facility, slug);
    Ids.version(version);
    return releases
        .of(software.id, version)
        .orElseThrow(
            () ->
                ProblemException.notFound(
                    "release " + version + " of " + software.id + " is not published"));
  }

  private ArtifactEntity artifactEntity(ReleaseEntity release, String artifactId) {
    Ids.artifact(artifactId);
    ArtifactEntity artifact = artifacts.findById(artifactId);
    if (artifact == null || !artifact.releaseId.equals(release.id)) {
      throw ProblemException.notFound(
          "artifact " + artifactId + " is not part of release " + release.version);
    }
    return artifact;
  }

  /** Artifacts held under a trusted-only import policy, oldest first, with their trust here. */
  public Page<Views.HeldArtifactView> heldArtifacts(int page, int size) {
    Page<Object[]> rows =
        artifacts.includingHeld(
            () ->
                page(
                    em.createQuery(
                        "select a.id, r.softwareId, r.version, a.kind, a.digest, a.publishedAt"
                            + " from ArtifactEntity a, ReleaseEntity r"
                            + " where a.releaseId = r.id and a.held = true order by a.publishedAt, a.id",
                        Object[].class),
                    em.createQuery(
                        "select count(a) from ArtifactEntity a where a.held = true", Long.class),
                    page,
                    size,
                    Function.identity()));
    Map<String, TrustResult> trust =
        views.trustResults(rows.items().stream().map(row -> (String) row[0]).toList());
    return new Page<>(
        rows.items().stream()
            .map(
                row ->
                    new Views.HeldArtifactView(
                        (String) row[0],
                        (String) row[1],
                        (String) row[2],
                        (String) row[3],
                        (String) row[4],
                        (Instant) row[5],
                        trust.get((String) row[0])))
            .toList(),
        rows.page(),
        rows.size(),
        rows.total());
  }

  private static <E, V> Page<V> page(
      TypedQuery<E> query, TypedQuery<Long> count, int page, int size, Function<E, V> view) {
    List<V> items =
        query.setFirstResult((page - 1) * size).setMaxResults(size).getResultList().stream()
            .map(view)
            .toList();
    return new Page<>(items, page, size, count.getSingleResult());
  }

  private static <E, V> Page<V> page(
      PanacheQuery<E> query, int page, int size, Function<E, V> view) {
    List<V> items =
        query.range((page - 1) * size, page * size - 1).list().stream().map(view).toList();
    return new Page<>(items, page, size, query.count());
  }
}
