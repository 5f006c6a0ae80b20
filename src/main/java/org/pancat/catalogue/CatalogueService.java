package org.pancat.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
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
import org.pancat.kernel.RetriedOnConflict;
import org.pancat.problem.Problem;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;
import org.pancat.trust.SignatureVerifier;
import org.pancat.trust.VerifiedSignature;
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
  private static final String SIGSTORE_BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle";

  private final EntityManager em;
  private final ChangeLog changeLog;
  private final AccessPolicy policy;
  private final CanonicalJson json;
  private final ViewBuilder views;
  private final ObjectMapper mapper;
  private final Vocabulary vocabulary;
  private final SignatureVerifier verifier;
  private final ArtifactTrust trust;
  private final ArtifactIds artifactIds;

  CatalogueService(
      EntityManager em,
      ChangeLog changeLog,
      AccessPolicy policy,
      CanonicalJson json,
      ViewBuilder views,
      ObjectMapper mapper,
      Vocabulary vocabulary,
      SignatureVerifier verifier,
      ArtifactTrust trust,
      ArtifactIds artifactIds) {
    this.em = em;
    this.artifactIds = artifactIds;
    this.verifier = verifier;
    this.trust = trust;
    this.changeLog = changeLog;
    this.policy = policy;
    this.json = json;
    this.views = views;
    this.mapper = mapper;
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
    changeLog.append(Change.Op.upsert, "facility", id, null, principal.actor(), view);
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
    changeLog.append(Change.Op.upsert, "software", id, null, principal.actor(), view);
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
          Change.Op.tombstone, "software", id, null, principal.actor(), tombstone(id, request));
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
    Optional<ReleaseEntity> existing = findRelease(software.id, version);
    if (existing.isPresent()) {
      if (existing.get().document.equals(canonical)) {
        return new Written<>(views.release(existing.get(), principal), false);
      }
      throw ProblemException.conflict(
          "release " + version + " of " + id + " is published and immutable");
    }
    Optional<String> sameIgnoringCase = versionIgnoringCase(software.id, version);
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
    changeLog.append(Change.Op.upsert, "release", id, version, principal.actor(), view);
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
          Change.Op.tombstone, "release", id, version, principal.actor(), tombstone(id, request));
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
        samePullReference(release, document)
            .orElseGet(
                () -> em.find(ArtifactEntity.class, named.id(), LockModeType.PESSIMISTIC_WRITE));
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
        "artifact",
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
          "artifact",
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
  public Written<Views.SignatureView> addSignature(
      String facilityId,
      String slug,
      String version,
      String artifactId,
      SignatureDocument document,
      Principal principal) {
    ArtifactEntity artifact = writableArtifact(facilityId, slug, version, artifactId, principal);
    String id = artifactIds.item(artifactId, json.write(document));
    SignatureEntity existing = em.find(SignatureEntity.class, id);
    if (existing != null && existing.verifiedAt != null) {
      return new Written<>(views.signature(existing), false);
    }
    SignatureEntity signature = storeSignature(artifact, document, id, principal.actor());
    Views.SignatureView view = views.signature(signature);
    changeLog.appendItem(
        Change.Op.upsert,
        "signature",
        artifactId,
        version,
        id,
        principal.actor(),
        Map.of("software", softwareIdOf(artifact), "artifact", artifactId, "signature", view));
    trust.reevaluate(artifact, releaseOf(artifact), principal.actor());
    return new Written<>(view, true);
  }

  @Transactional
  public Written<Views.ProvenanceView> addProvenance(
      String facilityId,
      String slug,
      String version,
      String artifactId,
      JsonNode document,
      Principal principal) {
    ArtifactEntity artifact = writableArtifact(facilityId, slug, version, artifactId, principal);
    if (document == null || !document.isObject()) {
      throw ProblemException.invalid("body", "must be an in-toto statement or DSSE envelope");
    }
    String id = artifactIds.item(artifactId, json.write(document));
    ProvenanceEntity existing = em.find(ProvenanceEntity.class, id);
    if (existing != null) {
      return new Written<>(views.provenance(existing), false);
    }
    ProvenanceEntity provenance = storeProvenance(artifact, document, id, principal.actor());
    Views.ProvenanceView view = views.provenance(provenance);
    changeLog.appendItem(
        Change.Op.upsert,
        "provenance",
        artifactId,
        version,
        id,
        principal.actor(),
        Map.of("software", softwareIdOf(artifact), "artifact", artifactId, "provenance", view));
    trust.reevaluate(artifact, releaseOf(artifact), principal.actor());
    return new Written<>(view, true);
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
            "software",
            software.id,
            null,
            event.actor(),
            views.software(software));
      }
    }
  }

  /**
   * Verifies a signature over the artifact's digest and stores what it proved.
   *
   * @throws org.pancat.trust.SignatureRejection when it does not verify (nothing is stored)
   */
  SignatureEntity storeSignature(
      ArtifactEntity artifact, SignatureDocument document, String id, String actor) {
    validate(document);
    if (artifact.digest == null) {
      throw new ProblemException(
          ProblemType.UNPROCESSABLE,
          "a signature is made over a digest and artifact " + artifact.id + " has none");
    }
    VerifiedSignature verified =
        "sigstore-bundle".equals(document.kind())
            ? verifier.verifyBundle(document.bundle(), artifact.digest, document.publicKey())
            : verifier.verifyKeySignature(
                document.publicKey(), document.signature(), document.payload(), artifact.digest);
    SignatureEntity existing = em.find(SignatureEntity.class, id);
    SignatureEntity signature = existing != null ? existing : new SignatureEntity();
    signature.id = id;
    signature.artifactId = artifact.id;
    signature.kind = document.kind();
    signature.document = json.write(document);
    signature.signerIdentity = verified.identity();
    signature.signerIssuer = verified.issuer();
    signature.signedAt = verified.signedAt();
    signature.verifiedAt = verified.verifiedAt();
    if (existing == null) {
      signature.attachedAt = verified.verifiedAt();
      signature.attachedBy = actor;
      em.persist(signature);
    }
    return signature;
  }

  /**
   * Reads a provenance statement about the artifact (verifying it when it comes in a Sigstore
   * bundle) and stores it.
   */
  ProvenanceEntity storeProvenance(
      ArtifactEntity artifact, JsonNode document, String id, String actor) {
    if (document == null || !document.isObject()) {
      throw ProblemException.invalid("body", "must be an in-toto statement or DSSE envelope");
    }
    ProvenanceStatement.Result read = ProvenanceStatement.read(document, mapper);
    if (read.statement().isEmpty()) {
      throw ProblemException.invalid("body", read.error());
    }
    ProvenanceStatement statement = read.statement().get();
    if (artifact.digest == null) {
      throw new ProblemException(
          ProblemType.UNPROCESSABLE,
          "provenance binds to a digest and artifact " + artifact.id + " has none");
    }
    if (!statement.covers(artifact.digest)) {
      throw new ProblemException(
          ProblemType.UNPROCESSABLE,
          "no subject of the provenance statement has the artifact's digest " + artifact.digest);
    }
    // a statement in a Sigstore bundle is signed: it must verify, and the signer is recorded
    VerifiedSignature signer =
        statement.form() == ProvenanceStatement.Form.SIGSTORE_BUNDLE
            ? verifier.verifyBundle(document, artifact.digest)
            : null;
    ProvenanceEntity provenance = new ProvenanceEntity();
    provenance.id = id;
    provenance.artifactId = artifact.id;
    provenance.predicateType = statement.predicateType();
    provenance.builderId = statement.builderId();
    provenance.buildType = statement.buildType();
    provenance.sourceRepository = statement.sourceRepository();
    provenance.sourceCommit = statement.sourceCommit();
    provenance.triggeredBy = statement.triggeredBy();
    provenance.signedBy = signer == null ? null : signer.describe();
    provenance.signerIdentity = signer == null ? null : signer.identity();
    provenance.signerIssuer = signer == null ? null : signer.issuer();
    provenance.document = json.write(document);
    provenance.attachedAt = Instant.now();
    provenance.attachedBy = actor;
    em.persist(provenance);
    return provenance;
  }

  private Optional<ArtifactEntity> samePullReference(
      ReleaseEntity release, ArtifactDocument document) {
    return em.createQuery(
            "from ArtifactEntity a where a.releaseId = :release and a.kind = :kind"
                + " and a.reference = :reference",
            ArtifactEntity.class)
        .setParameter("release", release.id)
        .setParameter("kind", document.kind())
        .setParameter("reference", document.reference())
        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
        .getResultStream()
        .findFirst();
  }

  private String softwareIdOf(ArtifactEntity artifact) {
    return releaseOf(artifact).softwareId;
  }

  private ReleaseEntity releaseOf(ArtifactEntity artifact) {
    return em.find(ReleaseEntity.class, artifact.releaseId);
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

  Optional<ReleaseEntity> findRelease(String softwareId, String version) {
    return em.createQuery(
            "from ReleaseEntity r where r.softwareId = :id and r.version = :version",
            ReleaseEntity.class)
        .setParameter("id", softwareId)
        .setParameter("version", version)
        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
        .getResultStream()
        .findFirst();
  }

  private Optional<String> versionIgnoringCase(String softwareId, String version) {
    return em.createQuery(
            "select r.version from ReleaseEntity r where r.softwareId = :id"
                + " and lower(r.version) = :version",
            String.class)
        .setParameter("id", softwareId)
        .setParameter("version", version.toLowerCase(Locale.ROOT))
        .getResultStream()
        .findFirst();
  }

  private ReleaseEntity release(String softwareId, String version) {
    return findRelease(softwareId, version)
        .orElseThrow(
            () ->
                ProblemException.notFound(
                    "release " + version + " of " + softwareId + " is not published"));
  }

  private ArtifactEntity artifact(ReleaseEntity release, String artifactId) {
    ArtifactEntity artifact =
        em.find(ArtifactEntity.class, artifactId, LockModeType.PESSIMISTIC_WRITE);
    if (artifact == null || !artifact.releaseId.equals(release.id)) {
      throw ProblemException.notFound(
          "artifact " + artifactId + " is not part of release " + release.version);
    }
    return artifact;
  }

  private ArtifactEntity writableArtifact(
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
    return artifact;
  }

  void validate(ArtifactDocument document, ReleaseEntity release) {
    Optional<ArtifactKind> kind = ArtifactKind.parse(document.kind());
    if (kind.isEmpty()) {
      throw ProblemException.invalid("kind", "must be one of " + ArtifactKind.allowed());
    }
    if (document.digest() != null) {
      Digest.problem(document.digest())
          .ifPresent(
              problem -> {
                throw ProblemException.invalid("digest", problem);
              });
    }
    referenceProblem(kind.get(), document.reference())
        .ifPresent(
            problem -> {
              throw ProblemException.invalid("reference", problem);
            });
    for (String runtime : document.runtimes()) {
      if (!RUNTIMES.contains(runtime)) {
        throw ProblemException.invalid(
            "runtimes",
            "unknown runtime '" + runtime + "'; known: " + RUNTIMES.stream().sorted().toList());
      }
    }
    try {
      LaunchLabels.read(document.labels());
    } catch (LaunchLabels.Refused refused) {
      throw new ProblemException(
          ProblemType.INVALID_LABEL,
          "label " + refused.label() + " is refused: " + refused.reason(),
          List.of(new Problem.FieldError("labels." + refused.label(), refused.reason())),
          Map.of(),
          Map.of());
    }
    if (document.sharing().conditions() != null
        && !"restricted".equals(document.sharing().sharingClass())) {
      throw ProblemException.invalid(
          "sharing.conditions", "conditions apply only to restricted artifacts");
    }
    if (document.derivedFrom() != null) {
      ArtifactEntity source = em.find(ArtifactEntity.class, document.derivedFrom());
      if (source == null || !source.releaseId.equals(release.id)) {
        throw new ProblemException(
            ProblemType.UNPROCESSABLE, "derivedFrom must name an artifact of the same release");
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

  private static void validate(SignatureDocument document) {
    if ("sigstore-bundle".equals(document.kind())) {
      JsonNode bundle = document.bundle();
      if (bundle == null || !bundle.isObject()) {
        throw ProblemException.invalid("bundle", "a sigstore-bundle signature needs the bundle");
      }
      if (!bundle.path("mediaType").asText().startsWith(SIGSTORE_BUNDLE_TYPE)) {
        throw ProblemException.invalid(
            "bundle.mediaType",
            "must be a Sigstore bundle media type (" + SIGSTORE_BUNDLE_TYPE + "...)");
      }
      if (!bundle.has("verificationMaterial")
          || !(bundle.has("messageSignature") || bundle.has("dsseEnvelope"))) {
        throw ProblemException.invalid(
            "bundle", "needs verificationMaterial and a messageSignature or dsseEnvelope");
      }
      if (document.signature() != null || document.payload() != null) {
        throw ProblemException.invalid(
            "kind", "a sigstore-bundle carries its own signature; omit signature and payload");
      }
      // a managed-key bundle names its key by a hint only: the key comes beside it
      boolean managedKey = bundle.path("verificationMaterial").has("publicKey");
      if (managedKey != (document.publicKey() != null)) {
        throw ProblemException.invalid(
            "publicKey",
            managedKey
                ? "this bundle is signed with a managed key: give its PEM public key"
                : "only for a bundle signed with a managed key; this one carries a certificate");
      }
      return;
    }
    if (document.bundle() != null) {
      throw ProblemException.invalid("bundle", "only for kind sigstore-bundle");
    }
    if (document.publicKey() == null
        || !document.publicKey().strip().startsWith("-----BEGIN PUBLIC KEY-----")
        || !document.publicKey().strip().endsWith("-----END PUBLIC KEY-----")) {
      throw ProblemException.invalid("publicKey", "must be a PEM public key");
    }
    try {
      if (document.signature() == null
          || Base64.getDecoder().decode(document.signature()).length == 0) {
        throw ProblemException.invalid("signature", "must be the base64-encoded signature");
      }
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("signature", "is not valid base64");
    }
  }

  private static Withdrawal tombstoneOf(WithdrawalRequest request, Principal p) {
    return new Withdrawal(Instant.now(), p.actor(), request.reason().strip());
  }

  private static Map<String, Object> tombstone(String softwareId, WithdrawalRequest request) {
    return Map.of("software", softwareId, "reason", request.reason().strip());
  }
}
