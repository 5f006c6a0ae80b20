package org.pancat.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pancat.access.AccessDecision;
import org.pancat.access.AccessPolicy;
import org.pancat.access.Ownership;
import org.pancat.access.SharingClass;
import org.pancat.changelog.Change;
import org.pancat.changelog.ImportOutcome;
import org.pancat.changelog.ImportPolicy;
import org.pancat.changelog.Importer;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.EntityKind;
import org.pancat.kernel.Ids;
import org.pancat.trust.Evidence;
import org.pancat.trust.SignatureDocument;

/**
 * Applies catalogue changes imported from peer nodes to the same tables local writes use, so
 * imported software is searched, shown, access-checked and resolved like local software.
 *
 * <p>Every facility has one owner: this node, or the origin node it was first imported from.
 * Changes about a facility from any other origin are skipped, so a peer cannot write into another
 * node's facility, and a local entry is never overwritten. Signatures and provenance are verified
 * again here and the artifact judged by this node's trust policy; the origin's own judgement is
 * kept beside it as its claim. Non-shareable artifacts never arrive with a reference and are not
 * imported.
 *
 * <p>Imports are applied one page at a time on a node (see the federation applier), so rows are
 * read without locks; concurrent replicas of a node are kept apart by the primary keys and unique
 * constraints (the loser's page rolls back and is pulled again). The rows a page is about are read
 * up front in a few queries ({@link #rowsOf}), so applying it does not query once per entry.
 */
@ApplicationScoped
public class CatalogueImport implements Importer {
  /** The catalogue's kinds, then the evidence and trust changes about an artifact. */
  private static final Set<EntityKind> KINDS = EnumSet.range(EntityKind.FACILITY, EntityKind.TRUST);

  /**
   * The catalogue rows a page of imported changes is about, read before it is applied and kept up
   * to date while it is; absent from here means absent from the database. Lives for one
   * transaction.
   */
  private static final class Rows {
    private final Map<String, FacilityEntity> facilities = new HashMap<>();
    private final Map<String, SoftwareEntity> software = new HashMap<>();
    private final Map<String, ReleaseEntity> releases = new HashMap<>();
    private final Map<String, ArtifactEntity> artifacts = new HashMap<>();

    private Optional<ReleaseEntity> release(String softwareId, String version) {
      return Optional.ofNullable(releases.get(releaseKey(softwareId, version)));
    }

    private void add(ReleaseEntity release) {
      releases.put(releaseKey(release.softwareId, release.version), release);
    }

    private static String releaseKey(String softwareId, String version) {
      return softwareId + "@" + version;
    }
  }

  // bounded IN lists: well under every database's parameter limit
  private static final int IN_LIST = 500;

  private final EntityManager em;
  private final CatalogueService catalogue;
  private final Evidence evidence;
  private final AccessPolicy access;
  private final CanonicalJson json;
  private final ArtifactRepository artifacts;

  CatalogueImport(
      EntityManager em,
      CatalogueService catalogue,
      Evidence evidence,
      AccessPolicy access,
      CanonicalJson json,
      ArtifactRepository artifacts) {
    this.em = em;
    this.catalogue = catalogue;
    this.evidence = evidence;
    this.access = access;
    this.json = json;
    this.artifacts = artifacts;
  }

  @Override
  public Set<EntityKind> kinds() {
    return KINDS;
  }

  /** Reads the rows the page is about (held artifacts included) in a few queries. */
  @Override
  @Transactional(Transactional.TxType.MANDATORY)
  public Batch begin(List<Change> page, ImportPolicy policy) {
    Rows rows = artifacts.includingHeld(() -> rowsOf(page));
    return change -> artifacts.includingHeld(() -> apply(change, policy, rows));
  }

  private Rows rowsOf(Collection<Change> changes) {
    Set<String> softwareIds = new HashSet<>();
    Set<String> artifactIds = new HashSet<>();
    Set<String> facilityIds = new HashSet<>();
    for (Change change : changes) {
      change
          .kind()
          .ifPresent(
              kind -> {
                if (kind == EntityKind.FACILITY) {
                  facilityIds.add(change.id());
                } else if (kind == EntityKind.SOFTWARE || kind == EntityKind.RELEASE) {
                  softwareIds.add(change.id());
                } else if (kind.isAboutArtifact()) {
                  artifactIds.add(change.id());
                  softwareIds.add(change.body().path("software").asText());
                }
              });
    }
    softwareIds.forEach(id -> facilityIdOf(id).ifPresent(facilityIds::add));
    Rows rows = new Rows();
    load(FacilityEntity.class, "id", facilityIds).forEach(f -> rows.facilities.put(f.id, f));
    load(SoftwareEntity.class, "id", softwareIds).forEach(s -> rows.software.put(s.id, s));
    load(ReleaseEntity.class, "softwareId", softwareIds).forEach(rows::add);
    load(ArtifactEntity.class, "id", artifactIds).forEach(a -> rows.artifacts.put(a.id, a));
    return rows;
  }

  private <T> List<T> load(Class<T> type, String key, Set<String> values) {
    List<String> all = new ArrayList<>(values);
    List<T> found = new ArrayList<>();
    for (int from = 0; from < all.size(); from += IN_LIST) {
      found.addAll(
          em.createQuery("from " + type.getSimpleName() + " e where e." + key + " in :values", type)
              .setParameter("values", all.subList(from, Math.min(all.size(), from + IN_LIST)))
              .getResultList());
    }
    return found;
  }

  /** Applies one verified change from {@code change.origin()} within the caller's transaction. */
  private ImportOutcome apply(Change change, ImportPolicy policy, Rows rows) {
    try {
      return switch (change.kind().orElseThrow()) {
        case FACILITY -> facility(change, policy, rows);
        case SOFTWARE -> software(change, policy, rows);
        case RELEASE -> release(change, rows);
        case ARTIFACT -> artifact(change, policy, rows);
        case SIGNATURE -> signature(change, rows);
        case PROVENANCE -> provenance(change, rows);
        case TRUST -> originTrust(change, rows);
        default -> ImportOutcome.skipped("entity " + change.entity() + " is not imported");
      };
    } catch (IOException | IllegalArgumentException e) {
      return ImportOutcome.skipped(change.entity() + " " + change.id() + " is not well formed");
    }
  }

  private ImportOutcome facility(Change change, ImportPolicy policy, Rows rows) throws IOException {
    if (!Ids.isFacility(change.id())) {
      return ImportOutcome.skipped("facility " + change.id() + " is not a facility id");
    }
    if (!policy.acceptsFacility(change.id())) {
      return ImportOutcome.skipped("facility " + change.id() + " is not imported from this peer");
    }
    FacilityEntity facility = rows.facilities.get(change.id());
    Optional<ImportOutcome> notOwner = owner(change.id(), facility, change, true);
    if (notOwner.isPresent()) {
      return notOwner.get();
    }
    FacilityDocument document = CanonicalJson.documentOf(change.body(), FacilityDocument.class);
    boolean created = facility == null;
    if (created) {
      facility = new FacilityEntity();
      facility.id = change.id();
      facility.origin = change.origin();
      facility.createdAt = change.at();
    }
    facility.name = document.name();
    facility.document = json.write(document);
    facility.updatedAt = change.at();
    if (created) {
      em.persist(facility);
      rows.facilities.put(facility.id, facility);
    }
    return ImportOutcome.APPLIED;
  }

  private ImportOutcome software(Change change, ImportPolicy policy, Rows rows) throws IOException {
    Optional<ImportOutcome> owned = ownedBy(facilityOf(change.id()), change, rows);
    if (owned.isPresent()) {
      return owned.get();
    }
    SoftwareEntity software = rows.software.get(change.id());
    if (change.op() == Change.Op.tombstone) {
      if (software == null) {
        return ImportOutcome.skipped("software " + change.id() + " was not imported");
      }
      software.withdraw(tombstoneOf(change));
      return ImportOutcome.APPLIED;
    }
    SoftwareDocument document = CanonicalJson.documentOf(change.body(), SoftwareDocument.class);
    if (!policy.acceptsTechniques(document.techniques())) {
      return ImportOutcome.skipped(
          "software " + change.id() + " has none of the techniques imported from this peer");
    }
    boolean created = software == null;
    if (created) {
      software = new SoftwareEntity();
      software.id = change.id();
      software.facilityId = facilityOf(change.id());
      software.slug = change.id().substring(software.facilityId.length() + 1);
      software.origin = change.origin();
      software.createdAt = change.at();
      software.createdBy = change.actor();
    }
    software.name = document.name();
    software.document = json.write(document);
    software.updatedAt = change.at();
    software.updatedBy = change.actor();
    if (created) {
      em.persist(software);
      rows.software.put(software.id, software);
    }
    return ImportOutcome.APPLIED;
  }

  private ImportOutcome release(Change change, Rows rows) throws IOException {
    Optional<ImportOutcome> owned = ownedBy(facilityOf(change.id()), change, rows);
    if (owned.isPresent()) {
      return owned.get();
    }
    if (!Ids.isVersion(change.version())) {
      return ImportOutcome.skipped("release " + change.version() + " is not a version");
    }
    if (!rows.software.containsKey(change.id())) {
      return ImportOutcome.skipped("software " + change.id() + " was not imported");
    }
    Optional<ReleaseEntity> existing = rows.release(change.id(), change.version());
    if (change.op() == Change.Op.tombstone) {
      if (existing.isEmpty()) {
        return ImportOutcome.skipped("release " + change.version() + " was not imported");
      }
      existing.get().withdraw(tombstoneOf(change));
      return ImportOutcome.APPLIED;
    }
    if (existing.isPresent()) {
      return ImportOutcome.skipped("release " + change.version() + " is immutable");
    }
    ReleaseDocument document = CanonicalJson.documentOf(change.body(), ReleaseDocument.class);
    ReleaseEntity release = new ReleaseEntity();
    release.softwareId = change.id();
    release.version = change.version();
    release.document = json.write(document);
    release.publishedAt = change.at();
    release.publishedBy = change.actor();
    em.persist(release);
    rows.add(release);
    return ImportOutcome.APPLIED;
  }

  private ImportOutcome artifact(Change change, ImportPolicy policy, Rows rows) throws IOException {
    String softwareId = change.body().path("software").asText();
    Optional<ImportOutcome> owned = ownedBy(facilityOf(softwareId), change, rows);
    if (owned.isPresent()) {
      return owned.get();
    }
    if (!Ids.isArtifact(change.id())) {
      return ImportOutcome.skipped("artifact " + change.id() + " is not an artifact id");
    }
    Optional<ReleaseEntity> release = rows.release(softwareId, change.version());
    if (release.isEmpty()) {
      return ImportOutcome.skipped("release " + change.version() + " was not imported");
    }
    ArtifactEntity artifact = rows.artifacts.get(change.id());
    if (artifact != null && !artifact.releaseId.equals(release.get().id)) {
      return ImportOutcome.skipped(
          "artifact " + change.id() + " is not part of release " + change.version());
    }
    if (change.op() == Change.Op.tombstone) {
      if (artifact == null) {
        return ImportOutcome.skipped("artifact " + change.id() + " was not imported");
      }
      artifact.withdraw(tombstoneOf(change));
      return ImportOutcome.APPLIED;
    }
    if (artifact != null) {
      return ImportOutcome.skipped("artifact " + change.id() + " is immutable");
    }
    ArtifactDocument document =
        CanonicalJson.documentOf(change.body().path("artifact"), ArtifactDocument.class);
    if (document.sharing() == null) {
      return ImportOutcome.skipped("artifact " + change.id() + " has no sharing class");
    }
    Optional<SharingClass> sharing = SharingClass.parse(document.sharing().sharingClass());
    if (sharing.isEmpty()) {
      return ImportOutcome.skipped("artifact " + change.id() + " has an unknown sharing class");
    }
    AccessDecision mayStore =
        access.mayImportArtifact(change.id(), sharing.get(), document.reference() != null);
    if (!mayStore.granted()) {
      return ImportOutcome.skipped(mayStore.reasons().get(0));
    }
    // an id is bound to its release by its salt: a peer cannot take another origin's artifact id
    if (!ArtifactIds.belongsTo(
        change.id(),
        softwareId,
        change.version(),
        change.body().path("idSalt").textValue(),
        document.kind(),
        document.reference())) {
      return ImportOutcome.skipped(
          "artifact " + change.id() + " is not an id of release " + change.version());
    }
    if (!policy.acceptsSharing(sharing.get().value())) {
      return ImportOutcome.skipped(
          "artifact "
              + change.id()
              + " is "
              + sharing.get().value()
              + ", not imported from this peer");
    }
    try {
      catalogue.validate(document, release.get());
    } catch (ArtifactRefused refused) {
      return ImportOutcome.skipped("artifact " + change.id() + ": " + refused.getMessage());
    }
    artifact = new ArtifactEntity();
    artifact.id = change.id();
    artifact.releaseId = release.get().id;
    artifact.kind = document.kind();
    artifact.reference = document.reference();
    artifact.digest = document.digest();
    artifact.sharingClass = sharing.get().value();
    artifact.document = json.write(document);
    artifact.publishedAt = change.at();
    artifact.publishedBy = change.actor();
    // no evidence has arrived yet: untrusted, so held until its signatures make it trusted
    artifact.trustedOnly = policy.trustedOnly();
    artifact.held = policy.trustedOnly();
    em.persist(artifact);
    rows.artifacts.put(artifact.id, artifact);
    return ImportOutcome.APPLIED;
  }

  private ImportOutcome signature(Change change, Rows rows) throws IOException {
    Optional<ArtifactEntity> artifact = importedArtifact(change, rows);
    if (artifact.isEmpty()) {
      return ImportOutcome.skipped("artifact " + change.id() + " was not imported");
    }
    SignatureDocument document =
        CanonicalJson.documentOf(change.body().path("signature"), SignatureDocument.class);
    return evidence.importSignature(
        ArtifactHolds.subject(artifact.get(), releaseOf(artifact.get())), document, change.actor());
  }

  private ImportOutcome provenance(Change change, Rows rows) {
    Optional<ArtifactEntity> artifact = importedArtifact(change, rows);
    if (artifact.isEmpty()) {
      return ImportOutcome.skipped("artifact " + change.id() + " was not imported");
    }
    JsonNode statement = change.body().path("provenance").path("statement");
    return evidence.importProvenance(
        ArtifactHolds.subject(artifact.get(), releaseOf(artifact.get())),
        statement,
        change.actor());
  }

  /** The origin's judgement of its own artifact: kept as its claim, never as this node's. */
  private ImportOutcome originTrust(Change change, Rows rows) {
    Optional<ArtifactEntity> artifact = importedArtifact(change, rows);
    if (artifact.isEmpty()) {
      return ImportOutcome.skipped("artifact " + change.id() + " was not imported");
    }
    artifact.get().originTrust = json.write(change.body().path("trust"));
    return ImportOutcome.APPLIED;
  }

  /**
   * The artifact a signature, statement or trust change is about, if it is the origin's: of a
   * software the origin owns, and of that software's release (not any artifact the id names).
   */
  private Optional<ArtifactEntity> importedArtifact(Change change, Rows rows) {
    String softwareId = change.body().path("software").asText();
    if (ownedBy(facilityOf(softwareId), change, rows).isPresent()) {
      return Optional.empty();
    }
    Optional<ReleaseEntity> release = rows.release(softwareId, change.version());
    return Optional.ofNullable(rows.artifacts.get(change.id()))
        .filter(a -> release.isPresent() && a.releaseId.equals(release.get().id));
  }

  private ReleaseEntity releaseOf(ArtifactEntity artifact) {
    return em.find(ReleaseEntity.class, artifact.releaseId);
  }

  /** Skips a change unless the facility was imported from the change's origin. */
  private Optional<ImportOutcome> ownedBy(String facilityId, Change change, Rows rows) {
    return owner(facilityId, rows.facilities.get(facilityId), change, false);
  }

  /** The owner rule ({@link AccessPolicy#mayImport}): empty when the change may be applied. */
  private Optional<ImportOutcome> owner(
      String facilityId, FacilityEntity facility, Change change, boolean claims) {
    AccessDecision decision =
        access.mayImport(
            "facility " + facilityId,
            facility == null ? Ownership.UNKNOWN : Ownership.of(facility.origin),
            change.origin(),
            claims);
    return decision.granted()
        ? Optional.empty()
        : Optional.of(ImportOutcome.skipped(decision.reasons().get(0)));
  }

  private static String facilityOf(String softwareId) {
    return facilityIdOf(softwareId)
        .orElseThrow(() -> new IllegalArgumentException("not a software id"));
  }

  private static Optional<String> facilityIdOf(String softwareId) {
    int slash = softwareId.indexOf('/');
    return slash <= 0 ? Optional.empty() : Optional.of(softwareId.substring(0, slash));
  }

  private static Withdrawal tombstoneOf(Change change) {
    return new Withdrawal(
        change.at(),
        change.actor(),
        change.body().path("reason").asText("withdrawn at its origin"));
  }
}
