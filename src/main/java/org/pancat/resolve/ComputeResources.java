package org.pancat.resolve;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.pancat.access.AccessPolicy;
import org.pancat.access.Principal;
import org.pancat.catalogue.CatalogueQueries;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.changelog.Written;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.EntityKind;
import org.pancat.kernel.Ids;
import org.pancat.kernel.RetriedOnConflict;
import org.pancat.problem.ProblemException;
import org.pancat.vocab.TermUnresolved;
import org.pancat.vocab.Vocabulary;

/**
 * Compute resources: registered by an admin or a publisher of the resource's facility, their
 * capability terms normalised to the compute vocabulary's canonical names.
 */
@ApplicationScoped
@RetriedOnConflict
public class ComputeResources {
  /** The canonical names (local names in the compute vocabulary) each capability may take. */
  private static final Map<String, Set<String>> CATEGORIES =
      Map.of(
          "architectures", Set.of("amd64", "arm64", "ppc64le"),
          "runtimes",
              Set.of("docker", "podman", "apptainer", "charliecloud", "sarus", "kubernetes"),
          "gpus", Set.of("nvidia", "amd", "intel"),
          "mpi", Set.of("mpi", "openmpi", "mpich"));

  private final EntityManager em;
  private final ChangeLog changeLog;
  private final CanonicalJson json;
  private final AccessPolicy policy;
  private final Vocabulary vocabulary;
  private final CatalogueQueries catalogue;

  ComputeResources(
      EntityManager em,
      ChangeLog changeLog,
      CanonicalJson json,
      AccessPolicy policy,
      Vocabulary vocabulary,
      CatalogueQueries catalogue) {
    this.em = em;
    this.changeLog = changeLog;
    this.json = json;
    this.policy = policy;
    this.vocabulary = vocabulary;
    this.catalogue = catalogue;
  }

  /** A resource as shown: its id and normalised document. */
  public record ResourceView(String id, ComputeResourceDocument resource, Instant updatedAt) {}

  @Transactional
  public Written<ResourceView> put(
      String id, ComputeResourceDocument document, Principal principal) {
    Ids.facility(id);
    policy.requirePublisherOf(principal, document.facility());
    catalogue.facility(document.facility());
    ComputeResourceDocument normalised = normalise(document);
    String canonical = json.write(normalised);
    ComputeResourceEntity entity =
        em.find(ComputeResourceEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (entity != null && !entity.facilityId.equals(document.facility())) {
      policy.requirePublisherOf(principal, entity.facilityId);
    }
    if (entity != null && entity.document.equals(canonical)) {
      return new Written<>(view(entity), false);
    }
    boolean created = entity == null;
    if (created) {
      entity = new ComputeResourceEntity();
      entity.id = id;
    }
    entity.facilityId = document.facility();
    entity.document = canonical;
    entity.updatedAt = Instant.now();
    entity.updatedBy = principal.actor();
    if (created) {
      em.persist(entity);
    }
    ResourceView view = view(entity);
    changeLog.append(
        Change.Op.upsert, EntityKind.COMPUTE_RESOURCE, id, null, principal.actor(), view);
    return new Written<>(view, created);
  }

  @Transactional
  public ResourceView get(String id) {
    Ids.facility(id);
    ComputeResourceEntity entity = em.find(ComputeResourceEntity.class, id);
    if (entity == null) {
      throw ProblemException.notFound("no compute resource " + id);
    }
    return view(entity);
  }

  @Transactional
  public List<ResourceView> list() {
    return em
        .createQuery("from ComputeResourceEntity c order by c.id", ComputeResourceEntity.class)
        .getResultList()
        .stream()
        .map(this::view)
        .toList();
  }

  /** The capabilities of a (normalised) resource description. */
  public Capabilities capabilities(ComputeResourceDocument d) {
    Set<String> vendors = new TreeSet<>();
    String cuda = null;
    for (ComputeResourceDocument.Gpu gpu : d.gpus()) {
      vendors.add(gpu.vendor());
      if (gpu.cudaDriver() != null
          && (cuda == null || LaunchRules.compareLevels(gpu.cudaDriver(), cuda) > 0)) {
        cuda = gpu.cudaDriver();
      }
    }
    return new Capabilities(
        d.facility(),
        new TreeSet<>(d.architectures()),
        vendors,
        cuda,
        new TreeSet<>(d.runtimes()),
        new TreeSet<>(d.cvmfsRepositories()),
        new TreeSet<>(d.registries()));
  }

  /** Maps every capability term to its canonical name; unknown terms are a 400 naming them. */
  public ComputeResourceDocument normalise(ComputeResourceDocument d) {
    List<ComputeResourceDocument.Gpu> gpus = new ArrayList<>();
    for (int i = 0; i < d.gpus().size(); i++) {
      ComputeResourceDocument.Gpu g = d.gpus().get(i);
      gpus.add(
          new ComputeResourceDocument.Gpu(
              canonical("gpus", "gpus[" + i + "].vendor", g.vendor()),
              g.model(),
              g.cudaDriver(),
              g.count()));
    }
    return new ComputeResourceDocument(
        d.facility(),
        d.description(),
        d.location(),
        canonical("architectures", d.architectures()),
        gpus,
        canonical("mpi", d.mpi()),
        canonical("runtimes", d.runtimes()),
        d.cvmfsRepositories().stream().sorted().distinct().toList(),
        d.registries().stream().sorted().distinct().toList());
  }

  private List<String> canonical(String category, List<String> terms) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < terms.size(); i++) {
      names.add(canonical(category, category + "[" + i + "]", terms.get(i)));
    }
    return names.stream().distinct().sorted().toList();
  }

  /**
   * The local name of the concept a term means, walked up to the level directly under the category
   * ("CUDA 12" is an NVIDIA GPU, "Singularity" is Apptainer).
   */
  String canonical(String category, String field, String term) {
    return vocabulary
        .localNameWithin("compute", term, CATEGORIES.get(category))
        .orElseThrow(
            () -> {
              Vocabulary.Resolution r = vocabulary.resolve("compute", term);
              return Vocabulary.unresolved(
                  TermUnresolved.Use.VALUE,
                  field,
                  "compute",
                  r.resolved() ? new Vocabulary.Resolution(term, null, List.of(), false) : r);
            });
  }

  private ResourceView view(ComputeResourceEntity e) {
    return new ResourceView(
        e.id, json.read(e.document, ComputeResourceDocument.class), e.updatedAt);
  }
}
