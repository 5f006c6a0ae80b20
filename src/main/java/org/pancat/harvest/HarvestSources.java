package org.pancat.harvest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.pancat.access.AccessPolicy;
import org.pancat.access.Principal;
import org.pancat.catalogue.CatalogueQueries;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.changelog.Written;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.EntityKind;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;
import org.pancat.kernel.RetriedOnConflict;
import org.pancat.problem.ProblemException;

/**
 * Harvest sources: registered by an admin or a publisher of the source's facility, seen only by
 * them (a source names registries and repositories that may be restricted). Each change is in the
 * change log, which never exports it.
 */
@ApplicationScoped
public class HarvestSources {
  static final String ID = "[a-z0-9][a-z0-9-]{0,62}";
  private static final Pattern ID_PATTERN = Pattern.compile(ID);
  private static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
  private static final Duration MAX_INTERVAL = Duration.ofDays(366);

  private final EntityManager em;
  private final AccessPolicy policy;
  private final CatalogueQueries catalogue;
  private final ChangeLog changeLog;
  private final CanonicalJson json;
  private final ObjectMapper mapper;
  private final HarvestConfig config;
  private final HarvestRuns runs;

  HarvestSources(
      EntityManager em,
      AccessPolicy policy,
      CatalogueQueries catalogue,
      ChangeLog changeLog,
      CanonicalJson json,
      ObjectMapper mapper,
      HarvestConfig config,
      HarvestRuns runs) {
    this.runs = runs;
    this.em = em;
    this.policy = policy;
    this.catalogue = catalogue;
    this.changeLog = changeLog;
    this.json = json;
    this.mapper = mapper;
    this.config = config;
  }

  /** A source as its facility's publishers see it, with its last run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SourceView(
      String id,
      @JsonUnwrapped HarvestSourceDocument source,
      Instant createdAt,
      Instant updatedAt,
      String updatedBy,
      Instant nextRunAt,
      HarvestRuns.RunView lastRun) {}

  @RetriedOnConflict
  @Transactional
  public Written<SourceView> put(String id, HarvestSourceDocument document, Principal principal) {
    requireId(id);
    policy.requirePublisherOf(principal, document.facility());
    check(document);
    catalogue.requireFacility(document.facility());
    HarvestSourceEntity source =
        em.find(HarvestSourceEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (source != null) {
      // a publisher cannot take another facility's source by naming it
      policy.requirePublisherOf(principal, source.facilityId);
    }
    String canonical = json.write(document);
    if (source != null && source.document.equals(canonical)) {
      return new Written<>(view(source, null), false);
    }
    Instant now = Instant.now();
    boolean created = source == null;
    if (created) {
      source = new HarvestSourceEntity();
      source.id = id;
      source.createdAt = now;
    } else if (!source.kind.equals(document.kind())
        || !source.facilityId.equals(document.facility())) {
      // what it harvested belongs to its facility and kind: another is another source
      throw ProblemException.conflict(
          "source "
              + id
              + " is of kind "
              + source.kind
              + " for facility "
              + source.facilityId
              + "; register another source for another kind or facility");
    }
    source.facilityId = document.facility();
    source.kind = document.kind();
    source.document = canonical;
    // what the last run read no longer says anything about the new settings
    source.lastState = null;
    source.updatedAt = now;
    source.updatedBy = principal.actor();
    // a new or changed source runs soon, then on its interval
    source.nextRunAt = document.every(config.defaultInterval()).isZero() ? null : now;
    if (created) {
      em.persist(source);
    }
    SourceView view = view(source, null);
    changeLog.append(
        Change.Op.upsert, EntityKind.HARVEST_SOURCE, id, null, principal.actor(), view);
    return new Written<>(view, created);
  }

  @Transactional
  public void delete(String id, Principal principal) {
    policy.requireAuthenticated(principal);
    HarvestSourceEntity source = readable(id, principal, LockModeType.PESSIMISTIC_WRITE);
    Long running =
        em.createQuery(
                "select count(r) from HarvestRunEntity r where r.runningSource = :id", Long.class)
            .setParameter("id", id)
            .getSingleResult();
    if (running > 0) {
      throw ProblemException.conflict("source " + id + " is running; remove it when the run ends");
    }
    em.createQuery("delete from HarvestItemEntity i where i.key.sourceId = :id")
        .setParameter("id", id)
        .executeUpdate();
    em.createQuery("delete from HarvestRunEntity r where r.sourceId = :id")
        .setParameter("id", id)
        .executeUpdate();
    em.remove(source);
    changeLog.append(
        Change.Op.tombstone,
        EntityKind.HARVEST_SOURCE,
        id,
        null,
        principal.actor(),
        Map.of("id", id, "facility", source.facilityId));
  }

  @Transactional
  public SourceView get(String id, Principal principal) {
    HarvestSourceEntity source = readable(id, principal, LockModeType.NONE);
    return view(source, runs.last(id).orElse(null));
  }

  /** The sources the caller may see: all for an admin, its facility's for a publisher. */
  @Transactional
  public Page<SourceView> list(Principal principal, Paging paging) {
    policy.requireAuthenticated(principal);
    List<HarvestSourceEntity> all =
        em.createQuery("from HarvestSourceEntity s order by s.id", HarvestSourceEntity.class)
            .getResultList();
    List<SourceView> visible =
        all.stream()
            .filter(s -> policy.mayManageFacility(principal, s.facilityId))
            .map(s -> view(s, runs.last(s.id).orElse(null)))
            .toList();
    return Page.of(visible, paging);
  }

  /** The source, when the caller may run it or read its runs; 404 for a source it may not see. */
  HarvestSourceEntity readable(String id, Principal principal, LockModeType lock) {
    requireId(id);
    policy.requireAuthenticated(principal);
    HarvestSourceEntity source = em.find(HarvestSourceEntity.class, id, lock);
    if (source == null || !policy.mayManageFacility(principal, source.facilityId)) {
      // one answer for "absent" and "not yours": a source's existence is not public
      throw ProblemException.notFound("harvest source " + id + " is not registered here");
    }
    return source;
  }

  @Transactional
  HarvestSourceEntity entity(String id) {
    HarvestSourceEntity source = em.find(HarvestSourceEntity.class, id);
    if (source == null) {
      throw new HarvestRefused("the source was removed");
    }
    return source;
  }

  HarvestSourceDocument document(HarvestSourceEntity source) {
    try {
      return mapper.readValue(source.document, HarvestSourceDocument.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private SourceView view(HarvestSourceEntity source, HarvestRuns.RunView lastRun) {
    return new SourceView(
        source.id,
        document(source),
        source.createdAt,
        source.updatedAt,
        source.updatedBy,
        source.nextRunAt,
        lastRun);
  }

  private void check(HarvestSourceDocument d) {
    Object settings =
        switch (d.kind()) {
          case "oci" -> d.oci();
          case "apt" -> d.apt();
          default -> d.cvmfs();
        };
    if (settings == null) {
      throw ProblemException.invalid(
          d.kind(), "a source of kind " + d.kind() + " needs its settings");
    }
    int given = (d.oci() == null ? 0 : 1) + (d.apt() == null ? 0 : 1) + (d.cvmfs() == null ? 0 : 1);
    if (given > 1) {
      throw ProblemException.invalid("kind", "give only the settings of kind " + d.kind());
    }
    if (d.interval() != null) {
      Duration interval;
      try {
        interval = Duration.parse(d.interval());
      } catch (DateTimeParseException | ArithmeticException e) {
        throw ProblemException.invalid("interval", "must be like PT6H, PT30M or P1D");
      }
      if (!interval.isZero()
          && (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0)) {
        throw ProblemException.invalid("interval", "must be PT0S (never), or from PT1M to P366D");
      }
    }
    for (String url : urls(d)) {
      if (!SourceHosts.allowed(config, url)) {
        throw ProblemException.invalid(
            d.kind(), "this node does not read that host (pancat.harvest.allowed-hosts)");
      }
    }
    if (d.oci() != null) {
      compiles("oci.includeTags", d.oci().includeTags());
      compiles("oci.excludeTags", d.oci().excludeTags());
    }
    if (d.apt() != null
        && !d.apt().archiveKey().strip().startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
      throw ProblemException.invalid(
          "apt.archiveKey", "must be an ASCII-armoured OpenPGP public key");
    }
    if (d.cvmfs() != null) {
      CvmfsRecipe.Read read = CvmfsRecipe.read(d.cvmfs().recipe());
      if (read.error() != null) {
        throw ProblemException.invalid("cvmfs.recipe", read.error());
      }
    }
    if (d.credentials() != null) {
      HarvestConfig.Credentials credentials = config.credentials().get(d.credentials());
      if (credentials == null || !credentials.facility().equals(d.facility())) {
        throw ProblemException.invalid(
            "credentials", "no credential set of that name is configured for " + d.facility());
      }
    }
  }

  /** Every URL the source makes the node read, as far as its settings tell. */
  static List<String> urls(HarvestSourceDocument d) {
    List<String> urls = new java.util.ArrayList<>();
    if (d.oci() != null) {
      urls.add(d.oci().registry());
    }
    if (d.apt() != null) {
      urls.add(d.apt().url());
    }
    if (d.cvmfs() != null) {
      urls.addAll(d.cvmfs().registries().values());
    }
    return urls;
  }

  private static void compiles(String field, String regex) {
    if (regex == null) {
      return;
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw ProblemException.invalid(field, "must be a regular expression: " + e.getDescription());
    }
  }

  private static void requireId(String id) {
    if (!ID_PATTERN.matcher(id).matches()) {
      throw ProblemException.invalid(
          "source", "must be lower-case letters, digits and hyphens, at most 63");
    }
  }
}
