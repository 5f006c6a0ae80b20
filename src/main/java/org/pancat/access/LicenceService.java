package org.pancat.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.changelog.ImportOutcome;
import org.pancat.changelog.ImportPolicy;
import org.pancat.changelog.Importer;
import org.pancat.changelog.Written;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.EntityKind;
import org.pancat.kernel.RetriedOnConflict;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/**
 * Licence records and their acceptance by users. A new licence version needs a new acceptance:
 * acceptances are recorded per version and only the current version's count.
 */
@ApplicationScoped
@RetriedOnConflict
public class LicenceService implements LicenceAcceptances, Importer {
  private static final Pattern LICENCE_ID =
      Pattern.compile("(LicenseRef-)?[A-Za-z0-9][A-Za-z0-9.+-]{0,127}");

  private final EntityManager em;
  private final ChangeLog changeLog;
  private final CanonicalJson json;
  private final AccessPolicy policy;
  private final AccessAudit audit;

  LicenceService(
      EntityManager em,
      ChangeLog changeLog,
      CanonicalJson json,
      AccessPolicy policy,
      AccessAudit audit) {
    this.em = em;
    this.changeLog = changeLog;
    this.json = json;
    this.policy = policy;
    this.audit = audit;
  }

  /** A licence as shown to users. */
  public record LicenceView(
      String id,
      String title,
      String version,
      @Schema(nullable = true) String url,
      @Schema(nullable = true) String text,
      Instant updatedAt) {}

  /** One acceptance: who accepted which version of which licence, when. */
  public record Acceptance(String licence, String version, Instant acceptedAt, boolean current) {}

  @Transactional
  public Written<LicenceView> put(String id, LicenceDocument document, Principal principal) {
    policy.requireAdmin(principal);
    checkId(id);
    String canonical = json.write(document);
    LicenceEntity licence = em.find(LicenceEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (licence != null && licence.document.equals(canonical)) {
      return new Written<>(view(licence), false);
    }
    if (licence != null && licence.version.equals(document.version())) {
      throw ProblemException.conflict(
          "licence "
              + id
              + " version "
              + document.version()
              + " has other terms; publish changed terms as a new version");
    }
    boolean created = licence == null;
    if (created) {
      licence = new LicenceEntity();
      licence.id = id;
    }
    licence.version = document.version();
    licence.document = canonical;
    licence.updatedAt = Instant.now();
    licence.updatedBy = principal.actor();
    // published here from now on: imports of it no longer apply
    licence.origin = null;
    if (created) {
      em.persist(licence);
    }
    LicenceView view = view(licence);
    changeLog.append(
        Change.Op.upsert, EntityKind.LICENCE, id, document.version(), principal.actor(), view);
    return new Written<>(view, created);
  }

  @Override
  public Set<EntityKind> kinds() {
    return Set.of(EntityKind.LICENCE);
  }

  @Override
  public Batch begin(List<Change> page, ImportPolicy importPolicy) {
    return this::importLicence;
  }

  /**
   * Stores a licence imported from the node that published it, so its restricted artifacts can be
   * accepted and launched here. A licence published on this node is never replaced.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  ImportOutcome importLicence(Change change) {
    String id = change.id();
    String origin = change.origin();
    if (!validId(id)) {
      return ImportOutcome.skipped("licence " + id + " is not well formed");
    }
    LicenceDocument document;
    try {
      document = CanonicalJson.documentOf(change.body(), LicenceDocument.class);
    } catch (IOException | IllegalArgumentException e) {
      return ImportOutcome.skipped("licence " + id + " is not well formed");
    }
    LicenceEntity licence = em.find(LicenceEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    AccessDecision owner =
        policy.mayImport(
            "licence " + id,
            licence == null ? Ownership.UNKNOWN : Ownership.of(licence.origin),
            origin,
            true);
    if (!owner.granted()) {
      return ImportOutcome.skipped(owner.reasons().get(0));
    }
    String canonical = json.write(document);
    if (licence != null && licence.document.equals(canonical)) {
      return ImportOutcome.skipped("unchanged");
    }
    boolean created = licence == null;
    if (created) {
      licence = new LicenceEntity();
      licence.id = id;
      licence.origin = origin;
    }
    licence.version = document.version();
    licence.document = canonical;
    licence.updatedAt = change.at();
    licence.updatedBy = change.actor();
    if (created) {
      em.persist(licence);
    }
    return ImportOutcome.APPLIED;
  }

  @Transactional
  public LicenceView get(String id) {
    checkId(id);
    return Optional.ofNullable(em.find(LicenceEntity.class, id))
        .map(this::view)
        .orElseThrow(() -> ProblemException.notFound("no licence " + id));
  }

  @Transactional
  public List<LicenceView> list() {
    return em
        .createQuery("from LicenceEntity l order by l.id", LicenceEntity.class)
        .getResultList()
        .stream()
        .map(this::view)
        .toList();
  }

  /**
   * Records that the caller accepts the licence's current version. {@code version}, when given,
   * must be the current one, so nobody accepts terms they were not shown.
   */
  @Transactional
  public Written<Acceptance> accept(String id, String version, Principal principal) {
    policy.requireAuthenticated(principal);
    checkId(id);
    LicenceEntity licence = em.find(LicenceEntity.class, id);
    if (licence == null) {
      throw ProblemException.notFound("no licence " + id);
    }
    if (version != null && !version.equals(licence.version)) {
      throw ProblemException.conflict(
          "licence " + id + " is at version " + licence.version + "; read and accept that one");
    }
    Optional<AcceptanceEntity> existing =
        em.createQuery(
                "from AcceptanceEntity a where a.licenceId = :id and a.version = :version"
                    + " and a.subject = :subject and a.issuer = :issuer",
                AcceptanceEntity.class)
            .setParameter("id", id)
            .setParameter("version", licence.version)
            .setParameter("subject", principal.subject())
            .setParameter("issuer", principal.issuer())
            .getResultStream()
            .findFirst();
    if (existing.isPresent()) {
      return new Written<>(acceptance(existing.get(), licence.version), false);
    }
    AcceptanceEntity acceptance = new AcceptanceEntity();
    acceptance.licenceId = id;
    acceptance.version = licence.version;
    acceptance.subject = principal.subject();
    acceptance.issuer = principal.issuer();
    acceptance.acceptedAt = Instant.now();
    em.persist(acceptance);
    audit.record(principal, "licence-acceptance", id, "accepted version " + licence.version);
    return new Written<>(acceptance(acceptance, licence.version), true);
  }

  /** The caller's acceptances, newest first, marked whether they are of the current version. */
  @Transactional
  public List<Acceptance> acceptances(Principal principal) {
    if (principal.isAnonymous()) {
      return List.of();
    }
    Map<String, String> current = currentVersions();
    return em
        .createQuery(
            "from AcceptanceEntity a where a.subject = :subject and a.issuer = :issuer"
                + " order by a.acceptedAt desc, a.id desc",
            AcceptanceEntity.class)
        .setParameter("subject", principal.subject())
        .setParameter("issuer", principal.issuer())
        .getResultList()
        .stream()
        .map(a -> acceptance(a, current.get(a.licenceId)))
        .toList();
  }

  @Override
  @Transactional
  public LicenceStatus status(Principal principal, String licenceId, String version) {
    LicenceEntity licence = em.find(LicenceEntity.class, licenceId);
    if (licence == null) {
      return new LicenceStatus(false, null);
    }
    String required = version == null ? licence.version : version;
    if (principal.isAnonymous()) {
      return new LicenceStatus(false, required);
    }
    long count =
        em.createQuery(
                "select count(a) from AcceptanceEntity a where a.licenceId = :id"
                    + " and a.version = :version and a.subject = :subject and a.issuer = :issuer",
                Long.class)
            .setParameter("id", licenceId)
            .setParameter("version", required)
            .setParameter("subject", principal.subject())
            .setParameter("issuer", principal.issuer())
            .getSingleResult();
    return new LicenceStatus(count > 0, required);
  }

  @Override
  @Transactional
  public Optional<String> currentVersion(String licenceId) {
    // locked, so a new version cannot be published between this check and the caller's commit
    return Optional.ofNullable(
            em.find(LicenceEntity.class, licenceId, LockModeType.PESSIMISTIC_WRITE))
        .map(l -> l.version);
  }

  private Map<String, String> currentVersions() {
    Map<String, String> versions = new LinkedHashMap<>();
    em.createQuery("from LicenceEntity l", LicenceEntity.class)
        .getResultList()
        .forEach(l -> versions.put(l.id, l.version));
    return versions;
  }

  private LicenceView view(LicenceEntity e) {
    LicenceDocument doc = json.read(e.document, LicenceDocument.class);
    return new LicenceView(e.id, doc.title(), e.version, doc.url(), doc.text(), e.updatedAt);
  }

  private static Acceptance acceptance(AcceptanceEntity a, String currentVersion) {
    return new Acceptance(a.licenceId, a.version, a.acceptedAt, a.version.equals(currentVersion));
  }

  private static boolean validId(String id) {
    return id != null && LICENCE_ID.matcher(id).matches();
  }

  private static void checkId(String id) {
    if (!validId(id)) {
      throw new ProblemException(
          ProblemType.INVALID_IDENTIFIER,
          "licence id must be an SPDX id or LicenseRef-<letters, digits, . + ->");
    }
  }
}
