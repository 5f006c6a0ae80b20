package org.pancat.harvest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.pancat.access.Principal;
import org.pancat.catalogue.ArtifactDocument;
import org.pancat.catalogue.CatalogueQueries;
import org.pancat.catalogue.CatalogueService;
import org.pancat.catalogue.Views;
import org.pancat.catalogue.WithdrawalRequest;
import org.pancat.changelog.Written;
import org.pancat.trust.SignatureDocument;
import org.pancat.trust.TrustPolicies;
import org.pancat.trust.TrustPolicy;

/**
 * Writes what a harvest read, one item per transaction, through the catalogue's own services: the
 * same validation, access checks, trust and change log as the API. An item is written whole or not
 * at all; a run that stops part way leaves only whole items, and the next run goes on.
 */
@ApplicationScoped
class HarvestWriter {
  /** The label a harvested artifact carries when its tag moved and the tag's name is taken. */
  static final String MOVED_TAG_LABEL = "org.pancat.harvest.tag";

  private final EntityManager em;
  private final CatalogueService catalogue;
  private final CatalogueQueries queries;
  private final TrustPolicies policies;
  private final Validator validator;

  HarvestWriter(
      EntityManager em,
      CatalogueService catalogue,
      CatalogueQueries queries,
      TrustPolicies policies,
      Validator validator) {
    this.validator = validator;
    this.em = em;
    this.catalogue = catalogue;
    this.queries = queries;
    this.policies = policies;
  }

  /**
   * The public keys the facility's trust policy names: a key signature found is checked against
   * them.
   */
  @Transactional
  List<String> policyKeys(String facility) {
    return policies
        .current(facility)
        .map(v -> v.policy().publicKeys().stream().map(TrustPolicy.TrustedKey::publicKey).toList())
        .orElse(List.of());
  }

  /** What each item of the source last yielded, by key. */
  @Transactional
  Map<String, HarvestItemEntity> items(String sourceId) {
    return em.createQuery(
            "from HarvestItemEntity i where i.key.sourceId = :s", HarvestItemEntity.class)
        .setParameter("s", sourceId)
        .getResultStream()
        .collect(Collectors.toMap(i -> i.key.itemKey(), i -> i));
  }

  /** The item seen again unchanged: its state says when. */
  @Transactional
  void seen(String sourceId, String key) {
    HarvestItemEntity item =
        em.find(HarvestItemEntity.class, new HarvestItemEntity.Key(sourceId, key));
    if (item != null) {
      item.seenAt = Instant.now();
      item.goneAt = null;
    }
  }

  @Transactional
  RunReport.Item write(
      String sourceId,
      String facility,
      HarvestedItem item,
      Principal harvester,
      boolean writesSoftware) {
    // what a source says is checked as a request body is: it reaches the services directly
    valid("software", item.software());
    valid("release", item.release());
    valid("artifact", item.artifact());
    item.derived().forEach(d -> valid("artifact", d));
    item.signatures().forEach(signature -> valid("signature", signature));
    String slug = item.slug();
    boolean softwareChanged = false;
    Optional<Views.SoftwareView> software = queries.findSoftware(facility, slug);
    if (software.isEmpty()) {
      if (!item.createsSoftware() || item.software() == null) {
        throw new HarvestRefused("software " + facility + "/" + slug + " is not registered");
      }
      catalogue.putSoftware(facility, slug, item.software(), harvester);
    } else if (software.get().withdrawn() != null) {
      throw new HarvestRefused("software " + software.get().id() + " is withdrawn");
    } else if (writesSoftware
        && harvester.actor().equals(software.get().createdBy())
        && item.software() != null) {
      // software this source registered follows its labels; software registered otherwise keeps
      // what its publishers wrote
      Written<Views.SoftwareView> written =
          catalogue.putSoftware(facility, slug, item.software(), harvester);
      softwareChanged = !written.value().updatedAt().equals(software.get().updatedAt());
    }
    Optional<Views.ReleaseView> release =
        queries.findRelease(facility, slug, item.version(), harvester);
    if (release.isEmpty()) {
      catalogue.putRelease(facility, slug, item.version(), item.release(), harvester);
    } else if (release.get().withdrawn() != null) {
      throw new HarvestRefused(
          "release " + item.version() + " of " + software.get().id() + " is withdrawn");
    }
    ArtifactDocument artifact = item.artifact();
    List<String> notes = new ArrayList<>(item.notes());
    if (release.isPresent() && namedByAnother(release.get(), artifact)) {
      // the tag now names other content: a new artifact beside the published one, pulled by digest
      artifact =
          withReference(artifact, untagged(artifact.reference()), tagOf(artifact.reference()));
      notes.add("the tag moved: the new content is a new artifact pulled by its digest");
      if (namedByAnother(release.get(), artifact)) {
        throw new HarvestRefused(
            "the tag moved again within release "
                + item.version()
                + ", whose artifacts are published and do not change: give the new content a new version label");
      }
    }
    for (ArtifactDocument derived : item.derived()) {
      if (release.isPresent() && namedByAnother(release.get(), derived)) {
        throw new HarvestRefused(
            "its "
                + derived.kind()
                + " path now holds other content (the tag moved) in release "
                + item.version()
                + ", whose artifacts are published and do not change: give the new content a new version label");
      }
    }
    Written<Views.ArtifactView> written =
        catalogue.addArtifact(facility, slug, item.version(), artifact, harvester);
    String artifactId = written.value().id();
    List<String> attachedTo = new ArrayList<>(List.of(artifactId));
    for (ArtifactDocument derived : item.derived()) {
      Written<Views.ArtifactView> d =
          catalogue.addArtifact(
              facility, slug, item.version(), derivedFrom(derived, artifactId), harvester);
      if (Objects.equals(derived.digest(), artifact.digest())) {
        attachedTo.add(d.value().id());
      }
    }
    // the same content under another form (a CVMFS path of the image) carries the same evidence
    for (String id : attachedTo) {
      for (SignatureDocument signature : item.signatures()) {
        catalogue.addSignature(facility, slug, item.version(), id, signature, harvester);
      }
      for (JsonNode statement : item.provenance()) {
        catalogue.addProvenance(facility, slug, item.version(), id, statement, harvester);
      }
    }
    remember(sourceId, item, artifactId, written.value().software());
    RunReport.Outcome outcome =
        written.created()
            ? (item.previousDigest() != null ? RunReport.Outcome.updated : RunReport.Outcome.added)
            : (softwareChanged ? RunReport.Outcome.updated : RunReport.Outcome.unchanged);
    return new RunReport.Item(
        item.key(),
        outcome,
        item.previousDigest() != null && written.created()
            ? "moved from " + item.previousDigest()
            : null,
        written.value().software(),
        item.version(),
        artifactId,
        artifact.digest(),
        notes);
  }

  /**
   * An item the source no longer has: reported, and its artifact withdrawn when the source's policy
   * says so.
   */
  @Transactional
  RunReport.Item gone(
      String sourceId,
      String facility,
      HarvestItemEntity state,
      boolean withdraw,
      Principal harvester) {
    HarvestItemEntity item = em.find(HarvestItemEntity.class, state.key);
    if (item == null) {
      return new RunReport.Item(
          state.key.itemKey(), RunReport.Outcome.gone, null, null, null, null, null, List.of());
    }
    boolean firstTime = item.goneAt == null;
    if (firstTime) {
      item.goneAt = Instant.now();
    }
    boolean withdrawn = false;
    if (withdraw && item.artifactId != null && item.softwareId != null) {
      String slug = item.softwareId.substring(item.softwareId.indexOf('/') + 1);
      Views.ArtifactView before =
          queries.artifact(facility, slug, item.version, item.artifactId, harvester);
      if (before.withdrawn() == null) {
        catalogue.withdrawArtifact(
            facility,
            slug,
            item.version,
            item.artifactId,
            // the reason is public and travels in the feed: it names no image
            new WithdrawalRequest("no longer in harvest source " + sourceId),
            harvester);
        withdrawn = true;
      }
    }
    return new RunReport.Item(
        item.key.itemKey(),
        withdrawn ? RunReport.Outcome.withdrawn : RunReport.Outcome.gone,
        firstTime ? "no longer in the source" : "still not in the source",
        item.softwareId,
        item.version,
        item.artifactId,
        item.digest,
        List.of());
  }

  private void valid(String what, Object document) {
    if (document == null) {
      return;
    }
    Set<ConstraintViolation<Object>> violations = validator.validate(document);
    if (!violations.isEmpty()) {
      ConstraintViolation<Object> first =
          violations.stream()
              .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
              .orElseThrow();
      throw new HarvestRefused(
          "the "
              + what
              + " it describes is refused: "
              + first.getPropertyPath()
              + " "
              + first.getMessage());
    }
  }

  private void remember(String sourceId, HarvestedItem item, String artifactId, String softwareId) {
    HarvestItemEntity.Key key = new HarvestItemEntity.Key(sourceId, item.key());
    HarvestItemEntity state = em.find(HarvestItemEntity.class, key);
    boolean created = state == null;
    if (created) {
      state = new HarvestItemEntity();
      state.key = key;
    }
    state.digest = item.digest();
    state.artifactId = artifactId;
    state.softwareId = softwareId;
    state.version = item.version();
    state.seenAt = Instant.now();
    state.goneAt = null;
    if (created) {
      em.persist(state);
    }
  }

  private static boolean namedByAnother(Views.ReleaseView release, ArtifactDocument artifact) {
    return release.artifacts().stream()
        .anyMatch(
            a ->
                a.kind().equals(artifact.kind())
                    && Objects.equals(a.reference(), artifact.reference())
                    && !Objects.equals(a.digest(), artifact.digest()));
  }

  private static String untagged(String reference) {
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    return colon > slash ? reference.substring(0, colon) : reference;
  }

  private static String tagOf(String reference) {
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    return colon > slash ? reference.substring(colon + 1) : null;
  }

  private static ArtifactDocument withReference(ArtifactDocument a, String reference, String tag) {
    Map<String, String> labels = new java.util.TreeMap<>(a.labels());
    // the tag is part of the pull reference: named only where the reference is open
    if (tag != null && "open".equals(a.sharing().sharingClass())) {
      labels.put(MOVED_TAG_LABEL, tag);
    }
    return new ArtifactDocument(
        a.kind(),
        reference,
        a.digest(),
        a.platforms(),
        a.requirements(),
        a.runtimes(),
        labels,
        a.derivedFrom(),
        a.sharing());
  }

  private static ArtifactDocument derivedFrom(ArtifactDocument a, String artifactId) {
    return new ArtifactDocument(
        a.kind(),
        a.reference(),
        a.digest(),
        a.platforms(),
        a.requirements(),
        a.runtimes(),
        a.labels(),
        artifactId,
        a.sharing());
  }
}
