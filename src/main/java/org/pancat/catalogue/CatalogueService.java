package org.pancat.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.pancat.access.AccessPolicy;
import org.pancat.access.Principal;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.changelog.Written;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.EntityKind;
import org.pancat.kernel.Ids;
import org.pancat.kernel.RetriedOnConflict;
import org.pancat.problem.ProblemException;
import org.pancat.trust.Evidence;
import org.pancat.trust.EvidenceSubject;
import org.pancat.trust.ProvenanceView;
import org.pancat.trust.SignatureDocument;
import org.pancat.trust.SignatureView;
import org.pancat.vocab.ConceptsReplaced;
import org.pancat.vocab.Vocabulary;

/**
 * Every write to the catalogue. Each method checks access, validates, stores the rows and appends
 * to the change log in one transaction; an unchanged document appends nothing.
 */
@ApplicationScoped
@RetriedOnConflict
public class CatalogueService {
  private static final Set<String> RUNTIMES =
      Set.of("docker", "podman", "apptainer", "singularity", "charliecloud", "sarus", "shifter");
  private static final Pattern OCI_REFERENCE =
      Pattern.compile(
          "[a-z0-9]+([._-][a-z0-9]+)*(\\.[a-z0-9-]+)*(:[0-9]{1,5})?"
              + "(/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?");
  private static final Pattern CVMFS_PATH =
      Pattern.compile("/cvmfs/[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9._:@+=,-]+)*/?");
  private static final Pattern NO_CONTROL = Pattern.compile("[^\\p{Cntrl}\\s]+");
  private static final Pattern SIF_LOCATION =
      Pattern.compile("(https://[A-Za-z0-9.-]+(:[0-9]{1,5})?|)/[A-Za-z0-9._~:@+=,%/-]*");

  private final EntityManager em;
  private final ChangeLog changeLog;
  private final AccessPolicy policy;
  private final CanonicalJson json;
  private final ViewBuilder views;
  private final Vocabulary vocabulary;
  private final Evidence evidence;
  private final ArtifactRepository artifacts;
  private final ReleaseRepository releases;
  private final ArtifactIds artifactIds;

  CatalogueService(
      EntityManager em,
      ChangeLog changeLog,
      AccessPolicy policy,
      CanonicalJson json,
      ViewBuilder views,
      Vocabulary vocabulary,
      Evidence evidence,
      ArtifactRepository artifacts,
      ReleaseRepository releases,
      ArtifactIds artifactIds) {
    this.releases = releases;
    this.em = em;
    this.artifactIds = artifactIds;
    this.evidence = evidence;
    this.artifacts = artifacts;
    this.changeLog = changeLog;
    this.policy = policy;
    this.json = json;
    this.views = views;
    this.vocabulary = vocabulary;
  }

  @Transactional
  public Written<Views.FacilityView> putFacility(
      String id, FacilityDocument document, Principal principal) {
    policy.requireAdmin(principal);
    Ids.facility(id);
    String canonical = json.write(document);
    FacilityEntity facility = em.find(FacilityEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (facility != null && facility.origin != null) {
      throw ProblemException.conflict(
          "facility " + id + " is imported from node " + facility.origin + " and changes there");
    }
    if (facility != null && facility.document.equals(canonical)) {
      return new Written<>(views.facility(facility), false);
    }
    Instant now = Instant.now();
    boolean created = facility == null;
    if (created) {
      facility = new FacilityEntity();
      facility.id = id;
      facility.createdAt = now;
    }
    facility.name = document.name();
    facility.document = canonical;
    facility.updatedAt = now;
    if (created) {
      em.persist(facility);
    }
    Views.FacilityView view = views.facility(facility);
    changeLog.append(Change.Op.upsert, EntityKind.FACILITY, id, null, principal.actor(), view);
    return new Written<>(view, created);
  }

  @Transactional
  public Written<Views.SoftwareView> putSoftware(
      String facilityId, String slug, SoftwareDocument document, Principal principal) {
    String id = authorizedSoftwareId(facilityId, slug, principal);
    if (em.find(FacilityEntity.class, facilityId) == null) {
      throw ProblemException.notFound("facility " + facilityId + " is not registered on this node");
    }
    SpdxExpression.Result licence = SpdxExpression.parse(document.licence());
    if (!licence.valid()) {
      throw ProblemException.invalid("licence", licence.error());
    }
    String canonical =
        json.write(
            document
                .withLicence(licence.normalised())
                .withConcepts(
                    vocabulary.resolveTags("techniques", "techniques", document.techniques()),
                    vocabulary.resolveTags("functions", "functions", document.functions()),
                    vocabulary.resolveTags("formats", "inputFormats", document.inputFormats()),
                    vocabulary.resolveTags("formats", "outputFormats", document.outputFormats())));
    SoftwareEntity software = em.find(SoftwareEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (software != null && software.withdrawal().isWithdrawn()) {
      throw ProblemException.conflict("software " + id + " is withdrawn and cannot be changed");
    }
    if (software != null && software.document.equals(canonical)) {
      return new Written<>(views.software(software), false);
    }
    Instant now = Instant.now();
    boolean created = software == null;
    if (created) {
      software = new SoftwareEntity();
      software.id = id;
      software.facilityId = facilityId;
      software.slug = slug;
      software.createdAt = now;
      software.createdBy = principal.actor();
    }
    software.name = document.name();
    software.document = canonical;
    software.updatedAt = now;
    software.updatedBy = principal.actor();
    if (created) {
      em.persist(software);
    }
    Views.SoftwareView view = views.software(software);
    changeLog.append(Change.Op.upsert, EntityKind.SOFTWARE, id, null, principal.actor(), view);
    return new Written<>(view, created);
  }

  @Transactional
  public Written<Views.SoftwareView> withdrawSoftware(
      String facilityId, String slug, WithdrawalRequest request, Principal principal) {
    String id = authorizedSoftwareId(facilityId, slug, principal);
    SoftwareEntity software = liveOrWithdrawnSoftware(id);
    if (!software.withdrawal().isWithdrawn()) {
      software.withdraw(tombstoneOf(request, principal));
      changeLog.append(
          Change.Op.tombstone,
          EntityKind.SOFTWARE,
          id,
          null,
          principal.actor(),
          tombstone(id, request));
    }
    return new Written<>(views.software(software), false);
  }

  @Transactional
  public Written<Views.ReleaseView> putRelease(
      String facilityId,
      String slug,
      String version,
      ReleaseDocument document,
      Principal principal) {
    String id = authorizedSoftwareId(facilityId, slug, principal);
    Ids.version(version);
    SoftwareEntity software = liveSoftware(id);
    String canonical = json.write(document);
    Optional<ReleaseEntity> existing = releases.forUpdate(software.id, version);
    if (existing.isPresent()) {
      if (existing.get().document.equals(canonical)) {
        return new Written<>(views.release(existing.get(), principal), false);
      }
      throw ProblemException.conflict(
          "release " + version + " of " + id + " is published and immutable");
    }
    Optional<String> sameIgnoringCase = releases.versionIgnoringCase(software.id, version);
    if (sameIgnoringCase.isPresent()) {
      throw ProblemException.conflict(
          "release " + sameIgnoringCase.get() + " of " + id + " already exists (same version)");
    }
    ReleaseEntity release = new ReleaseEntity();
    release.softwareId = software.id;
    release.version = version;
    release.document = canonical;
    release.publishedAt = Instant.now();
    release.publishedBy = principal.actor();
    em.persist(release);
    Views.ReleaseView view = views.release(release, principal);
    changeLog.append(Change.Op.upsert, EntityKind.RELEASE, id, version, principal.actor(), view);
    return new Written<>(view, true);
  }

  @Transactional
  public Written<Views.ReleaseView> withdrawRelease(
      String facilityId,
      String slug,
      String version,
      WithdrawalRequest request,
      Principal principal) {
    String id = authorizedSoftwareId(facilityId, slug, principal);
    Ids.version(version);
    ReleaseEntity release = release(id, version);
    if (!release.withdrawal().isWithdrawn()) {
      release.withdraw(tombstoneOf(request, principal));
      changeLog.append(
          Change.Op.tombstone,
          EntityKind.RELEASE,
          id,
          version,
          principal.actor(),
          tombstone(id, request));
    }
    return new Written<>(views.release(release, principal), false);
  }

  @Transactional
  public Written<Views.ArtifactView> addArtifact(
      String facilityId,
      String slug,
      String version,
      ArtifactDocument document,
      Principal principal) {
    String softwareId = authorizedSoftwareId(facilityId, slug, principal);
    Ids.version(version);
    liveSoftware(softwareId);
    ReleaseEntity release = release(softwareId, version);
    if (release.withdrawal().isWithdrawn()) {
      throw ProblemException.conflict("release " + version + " of " + softwareId + " is withdrawn");
    }
    validate(document, release);
    String canonical = json.write(document);
    ArtifactIds.Named named =
        artifactIds.of(softwareId, version, document.kind(), document.reference());
    // the same kind and reference in a release is one artifact, whatever id named it when
    ArtifactEntity artifact =
        artifacts
            .samePullReference(release.id, document.kind(), document.reference())
            .orElseGet(() -> artifacts.findById(named.id(), LockModeType.PESSIMISTIC_WRITE));
    String id = artifact != null ? artifact.id : named.id();
    if (artifact != null) {
      if (artifact.document.equals(canonical)) {
        return new Written<>(views.artifact(artifact, release, principal, true), false);
      }
      throw ProblemException.conflict(
          "artifact "
              + id
              + " ("
              + document.kind()
              + ") of "
              + softwareId
              + " "
              + version
              + " is published and immutable");
    }
    // an import may carry a licence that arrives later; a local artifact is immutable from now on
    policy.requireSatisfiable(document.sharing().conditions());
    artifact = new ArtifactEntity();
    artifact.id = id;
    artifact.releaseId = release.id;
    artifact.kind = document.kind();
    artifact.reference = document.reference();
    artifact.digest = document.digest();
    artifact.sharingClass = document.sharing().sharingClass();
    artifact.document = canonical;
    artifact.publishedAt = Instant.now();
    artifact.publishedBy = principal.actor();
    em.persist(artifact);
    changeLog.append(
        Change.Op.upsert,
        EntityKind.ARTIFACT,
        id,
        version,
        principal.actor(),
        views.artifactRecord(artifact, release, named.salt()));
    return new Written<>(views.artifact(artifact, release, principal, true), true);
  }

  @Transactional
  public Written<Views.ArtifactView> withdrawArtifact(
      String facilityId,
      String slug,
      String version,
      String artifactId,
      WithdrawalRequest request,
      Principal principal) {
    String softwareId = authorizedSoftwareId(facilityId, slug, principal);
    Ids.version(version);
    Ids.artifact(artifactId);
    ReleaseEntity release = release(softwareId, version);
    ArtifactEntity artifact = artifact(release, artifactId);
    if (!artifact.withdrawal().isWithdrawn()) {
      artifact.withdraw(tombstoneOf(request, principal));
      changeLog.append(
          Change.Op.tombstone,
          EntityKind.ARTIFACT,
          artifactId,
          version,
          principal.actor(),
          tombstone(softwareId, request));
    }
    return new Written<>(views.artifact(artifact, release, principal, true), false);
  }

  /**
   * Verifies a signature over the artifact's digest and attaches it, then re-evaluates the
   * artifact's trust. A signature that does not verify is a 422 saying why, and nothing is stored.
   */
  @Transactional
  public Written<SignatureView> addSignature(
      String facilityId,
      String slug,
      String version,
      String artifactId,
      SignatureDocument document,
      Principal principal) {
    return evidence.addSignature(
        writableArtifact(facilityId, slug, version, artifactId, principal),
        document,
        principal.actor());
  }

  @Transactional
  public Written<ProvenanceView> addProvenance(
      String facilityId,
      String slug,
      String version,
      String artifactId,
      JsonNode document,
      Principal principal) {
    return evidence.addProvenance(
        writableArtifact(facilityId, slug, version, artifactId, principal),
        document,
        principal.actor());
  }

  /**
   * Rewrites the tags of every software using a concept the vocabulary has just deprecated, in the
   * vocabulary's transaction, each as an ordinary change.
   */
  void migrateTags(@Observes ConceptsReplaced event) {
    for (Map.Entry<String, String> r : event.replacements().entrySet()) {
      List<SoftwareEntity> tagged =
          em.createQuery("from SoftwareEntity s where s.document like :iri", SoftwareEntity.class)
              .setParameter("iri", "%\"" + r.getKey() + "\"%")
              .setLockMode(LockModeType.PESSIMISTIC_WRITE)
              .getResultList();
      for (SoftwareEntity software : tagged) {
        SoftwareDocument doc = json.read(software.document, SoftwareDocument.class);
        SoftwareDocument migrated = doc.replacingConcept(r.getKey(), r.getValue());
        software.document = json.write(migrated);
        software.updatedAt = Instant.now();
        software.updatedBy = event.actor();
        changeLog.append(
            Change.Op.upsert,
            EntityKind.SOFTWARE,
            software.id,
            null,
            event.actor(),
            views.software(software));
      }
    }
  }

  private String authorizedSoftwareId(String facilityId, String slug, Principal principal) {
    Ids.facility(facilityId);
    Ids.slug(slug);
    policy.requirePublisherOf(principal, facilityId);
    FacilityEntity facility = em.find(FacilityEntity.class, facilityId);
    if (facility != null && facility.origin != null) {
      throw ProblemException.conflict(
          "facility "
              + facilityId
              + " is imported from node "
              + facility.origin
              + ": its software changes there, not here");
    }
    return Ids.softwareId(facilityId, slug);
  }

  private SoftwareEntity liveOrWithdrawnSoftware(String id) {
    SoftwareEntity software = em.find(SoftwareEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (software == null) {
      throw ProblemException.notFound("software " + id + " is not registered");
    }
    return software;
  }

  private SoftwareEntity liveSoftware(String id) {
    SoftwareEntity software = liveOrWithdrawnSoftware(id);
    if (software.withdrawal().isWithdrawn()) {
      throw ProblemException.conflict("software " + id + " is withdrawn");
    }
    return software;
  }

  private ReleaseEntity release(String softwareId, String version) {
    return releases
        .forUpdate(softwareId, version)
        .orElseThrow(
            () ->
                ProblemException.notFound(
                    "release " + version + " of " + softwareId + " is not published"));
  }

  private ArtifactEntity artifact(ReleaseEntity release, String artifactId) {
    return artifacts
        .ofRelease(release.id, artifactId)
        .orElseThrow(
            () ->
                ProblemException.notFound(
                    "artifact " + artifactId + " is not part of release " + release.version));
  }

  private EvidenceSubject writableArtifact(
      String facilityId, String slug, String version, String artifactId, Principal principal) {
    String softwareId = authorizedSoftwareId(facilityId, slug, principal);
    Ids.version(version);
    Ids.artifact(artifactId);
    liveSoftware(softwareId);
    ReleaseEntity release = release(softwareId, version);
    ArtifactEntity artifact = artifact(release, artifactId);
    if (artifact.withdrawal().isWithdrawn() || release.withdrawal().isWithdrawn()) {
      throw ProblemException.conflict("artifact " + artifactId + " is withdrawn");
    }
    return ArtifactHolds.subject(artifact, release);
  }

  /**
   * Checks an artifact document against the release it is for.
   *
   * @throws ArtifactRefused saying why it cannot be stored
   */
  void validate(ArtifactDocument document, ReleaseEntity release) {
    Optional<ArtifactKind> kind = ArtifactKind.parse(document.kind());
    if (kind.isEmpty()) {
      throw ArtifactRefused.invalid("kind", "must be one of " + ArtifactKind.allowed());
    }
    if (document.digest() != null) {
      Digest.problem(document.digest())
          .ifPresent(
              problem -> {
                throw ArtifactRefused.invalid("digest", problem);
              });
    }
    // only an imported non-shareable artifact comes without one (the API requires it)
    if (document.reference() != null) {
      referenceProblem(kind.get(), document.reference())
          .ifPresent(
              problem -> {
                throw ArtifactRefused.invalid("reference", problem);
              });
    }
    for (String runtime : document.runtimes()) {
      if (!RUNTIMES.contains(runtime)) {
        throw ArtifactRefused.invalid(
            "runtimes",
            "unknown runtime '" + runtime + "'; known: " + RUNTIMES.stream().sorted().toList());
      }
    }
    try {
      LaunchLabels.read(document.labels());
    } catch (LaunchLabels.Refused refused) {
      throw ArtifactRefused.label(refused.label(), refused.reason());
    }
    if (document.sharing().conditions() != null
        && !"restricted".equals(document.sharing().sharingClass())) {
      throw ArtifactRefused.invalid(
          "sharing.conditions", "conditions apply only to restricted artifacts");
    }
    if (document.derivedFrom() != null) {
      ArtifactEntity source = artifacts.findById(document.derivedFrom());
      if (source == null || !source.releaseId.equals(release.id)) {
        throw ArtifactRefused.doesNotFit("derivedFrom must name an artifact of the same release");
      }
    }
  }

  private static Optional<String> referenceProblem(ArtifactKind kind, String reference) {
    switch (kind) {
      case OCI_IMAGE:
        if (reference.contains("@")) {
          return Optional.of("give the image without @digest and put the digest in 'digest'");
        }
        return OCI_REFERENCE.matcher(reference).matches()
            ? Optional.empty()
            : Optional.of("must be an OCI image name like registry.example/ns/image[:tag]");
      case SIF:
        // a portal hands this to Apptainer as a word of its command line: a URL to download (its
        // digest checked after) or a file, never something Apptainer could read as an option
        return SIF_LOCATION.matcher(reference).matches() && noDotSegment(reference)
            ? Optional.empty()
            : Optional.of("must be an https:// URL or an absolute path of the SIF file");
      case CVMFS:
        return CVMFS_PATH.matcher(reference).matches() && noDotSegment(reference)
            ? Optional.empty()
            : Optional.of("must be an absolute path under /cvmfs/<repository>/");
      default:
        return NO_CONTROL.matcher(reference).matches()
            ? Optional.empty()
            : Optional.of("must not contain whitespace or control characters");
    }
  }

  private static boolean noDotSegment(String path) {
    return !path.contains("/../") && !path.endsWith("/..");
  }

  private static Withdrawal tombstoneOf(WithdrawalRequest request, Principal p) {
    return new Withdrawal(Instant.now(), p.actor(), request.reason().strip());
  }

  private static Map<String, Object> tombstone(String softwareId, WithdrawalRequest request) {
    return Map.of("software", softwareId, "reason", request.reason().strip());
  }
}
