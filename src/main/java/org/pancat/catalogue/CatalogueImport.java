package org.pancat.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pancat.changelog.Change;
import org.pancat.changelog.ImportOutcome;
import org.pancat.kernel.CanonicalJson;
import org.pancat.problem.ProblemException;
import org.pancat.vocab.Vocabulary;
import org.pancat.vocab.VocabularySnapshot;

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
public class CatalogueImport {
  /**
   * What a peer's import policy lets in; an empty set restricts nothing.
   *
   * @param techniques concept IRIs; software tagged with one of them or a narrower one
   * @param trustedOnly artifacts are stored but held (hidden from every read) until this node's
   *     trust policy judges them trusted, as their signatures and provenance arrive
   */
  public record Filter(
      Set<String> facilities,
      Set<String> sharingClasses,
      Set<String> techniques,
      boolean trustedOnly) {
    public static final Filter ALL = new Filter(Set.of(), Set.of(), Set.of(), false);

    public Filter {
      facilities = Set.copyOf(facilities);
      sharingClasses = Set.copyOf(sharingClasses);
      techniques = Set.copyOf(techniques);
    }
  }

  /**
   * The catalogue rows a page of imported changes is about, read before it is applied and kept up
   * to date while it is; absent from here means absent from the database. Lives for one
   * transaction.
   */
  public static final class Rows {
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
  private final ArtifactTrust trust;
  private final CanonicalJson json;
  private final Vocabulary vocabulary;
  private final ArtifactIds artifactIds;

  CatalogueImport(
      EntityManager em,
      CatalogueService catalogue,
      ArtifactTrust trust,
      CanonicalJson json,
      Vocabulary vocabulary,
      ArtifactIds artifactIds) {
    this.em = em;
    this.artifactIds = artifactIds;
    this.catalogue = catalogue;
    this.trust = trust;
    this.json = json;
    this.vocabulary = vocabulary;
  }

  /** Reads the rows the given changes are about, for {@link #apply}, in a few queries. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Rows rowsOf(Collection<Change> changes) {
    Set<String> softwareIds = new HashSet<>();
    Set<String> artifactIds = new HashSet<>();
    for (Change change : changes) {
      switch (change.entity()) {
        case "software", "release" -> softwareIds.add(change.id());
        case "artifact", "signature", "provenance", "trust" -> {
          artifactIds.add(change.id());
          softwareIds.add(change.body().path("software").asText());
        }
        default -> {}
      }
    }
    Set<String> facilityIds = new HashSet<>();
    changes.stream()
        .filter(c -> c.entity().equals("facility"))
        .forEach(c -> facilityIds.add(c.id()));
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

  /**
   * Applies one verified change from {@code change.origin()} within the caller's transaction.
   *
   * @param rows read by {@link #rowsOf} in this transaction for a set of changes including this one
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public ImportOutcome apply(Change change, Filter filter, Rows rows) {
    try {
      return switch (change.entity()) {
        case "facility" -> facility(change, filter, rows);
        case "software" -> software(change, filter, rows);
        case "release" -> release(change, rows);
        case "artifact" -> artifact(change, filter, rows);
        case "signature" -> signature(change, rows);
        case "provenance" -> provenance(change, rows);
        case "trust" -> originTrust(change, rows);
        default -> ImportOutcome.skipped("entity " + change.entity() + " is not imported");
      };
    } catch (ProblemException e) {
      return ImportOutcome.skipped(change.entity() + " " + change.id() + ": " + e.getMessage());
    } catch (IOException | IllegalArgumentException e) {
      return ImportOutcome.skipped(change.entity() + " " + change.id() + " is not well formed");
    }
  }

  private ImportOutcome facility(Change change, Filter filter, Rows rows) throws IOException {
    Ids.facility(change.id());
    if (!filter.facilities().isEmpty() && !filter.facilities().contains(change.id())) {
      return ImportOutcome.skipped("facility " + change.id() + " is not imported from this peer");
    }
    FacilityEntity facility = rows.facilities.get(change.id());
    Optional<ImportOutcome> notOwner = notOwner(facility, change);
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

  private ImportOutcome software(Change change, Filter filter, Rows rows) throws IOException {
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
    if (!matchesTechniques(document, filter)) {
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
    Ids.version(change.version());
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

  private ImportOutcome artifact(Change change, Filter filter, Rows rows) throws IOException {
    String softwareId = change.body().path("software").asText();
    Optional<ImportOutcome> owned = ownedBy(facilityOf(softwareId), change, rows);
    if (owned.isPresent()) {
      return owned.get();
    }
    Ids.artifact(change.id());
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
    if (document.sharing() == null || document.reference() == null) {
      return ImportOutcome.skipped(
          "artifact " + change.id() + " is non-shareable: its reference stays at home");
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
    String sharing = document.sharing().sharingClass();
    if (!filter.sharingClasses().isEmpty() && !filter.sharingClasses().contains(sharing)) {
      return ImportOutcome.skipped(
          "artifact " + change.id() + " is " + sharing + ", not imported from this peer");
    }
    if ("non-shareable".equals(sharing)) {
      return ImportOutcome.skipped(
          "artifact " + change.id() + " is non-shareable: its reference stays at home");
    }
    catalogue.validate(document, release.get());
    artifact = new ArtifactEntity();
    artifact.id = change.id();
    artifact.releaseId = release.get().id;
    artifact.kind = document.kind();
    artifact.reference = document.reference();
    artifact.digest = document.digest();
    artifact.sharingClass = sharing;
    artifact.document = json.write(document);
    artifact.publishedAt = change.at();
    artifact.publishedBy = change.actor();
    // no evidence has arrived yet: untrusted, so held until its signatures make it trusted
    artifact.trustedOnly = filter.trustedOnly();
    artifact.held = filter.trustedOnly();
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
    String id = artifactIds.item(artifact.get().id, json.write(document));
    SignatureEntity existing = em.find(SignatureEntity.class, id);
    if (existing != null && existing.verifiedAt != null) {
      return ImportOutcome.skipped("signature " + id + " is already here");
    }
    // one that does not verify here is a ProblemException: skipped with its reason
    catalogue.storeSignature(artifact.get(), document, id, change.actor());
    trust.reevaluate(artifact.get(), releaseOf(artifact.get()), change.actor());
    return ImportOutcome.APPLIED;
  }

  private ImportOutcome provenance(Change change, Rows rows) {
    Optional<ArtifactEntity> artifact = importedArtifact(change, rows);
    if (artifact.isEmpty()) {
      return ImportOutcome.skipped("artifact " + change.id() + " was not imported");
    }
    JsonNode statement = change.body().path("provenance").path("statement");
    String id = artifactIds.item(artifact.get().id, json.write(statement));
    if (em.find(ProvenanceEntity.class, id) != null) {
      return ImportOutcome.skipped("provenance " + id + " is already here");
    }
    catalogue.storeProvenance(artifact.get(), statement, id, change.actor());
    trust.reevaluate(artifact.get(), releaseOf(artifact.get()), change.actor());
    return ImportOutcome.APPLIED;
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
    FacilityEntity facility = rows.facilities.get(facilityId);
    if (facility == null) {
      return Optional.of(ImportOutcome.skipped("facility " + facilityId + " was not imported"));
    }
    return notOwner(facility, change);
  }

  private static Optional<ImportOutcome> notOwner(FacilityEntity facility, Change change) {
    if (facility == null) {
      return Optional.empty();
    }
    if (facility.origin == null) {
      return Optional.of(
          ImportOutcome.skipped("facility " + facility.id + " is local: never overwritten"));
    }
    if (!facility.origin.equals(change.origin())) {
      return Optional.of(
          ImportOutcome.skipped(
              "facility "
                  + facility.id
                  + " belongs to "
                  + facility.origin
                  + ", not to "
                  + change.origin()));
    }
    return Optional.empty();
  }

  private boolean matchesTechniques(SoftwareDocument document, Filter filter) {
    if (filter.techniques().isEmpty()) {
      return true;
    }
    VocabularySnapshot concepts = vocabulary.snapshot();
    return document.techniques().stream()
        .map(concepts::selfAndAncestors)
        .anyMatch(closure -> closure.stream().anyMatch(filter.techniques()::contains));
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
