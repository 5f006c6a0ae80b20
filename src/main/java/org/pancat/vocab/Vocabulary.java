package org.pancat.vocab;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pancat.access.AccessPolicy;
import org.pancat.access.Principal;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.kernel.EntityKind;
import org.pancat.problem.Problem;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/**
 * The controlled vocabularies: loads the shipped schemes into the database on first use, keeps the
 * current {@link VocabularySnapshot}, resolves terms to concepts and installs new scheme revisions.
 */
@ApplicationScoped
public class Vocabulary {
  /** Scheme ids and the files the node ships them in (under {@code vocab/}). */
  public static final Map<String, String> SHIPPED =
      linked(
          "techniques", "techniques.ttl",
          "functions", "functions.ttl",
          "formats", "formats.ttl",
          "compute", "compute.ttl",
          "artifact-kinds", "artifact-kinds.ttl");

  private static final String SHIPPED_ACTOR = "pancat#vocabulary";

  private final EntityManager em;
  private final ChangeLog changeLog;
  private final AccessPolicy policy;
  private final Event<ConceptsReplaced> replaced;
  private final Event<VocabularyChanged> changed;
  private volatile VocabularySnapshot snapshot;

  Vocabulary(
      EntityManager em,
      ChangeLog changeLog,
      AccessPolicy policy,
      Event<ConceptsReplaced> replaced,
      Event<VocabularyChanged> changed) {
    this.em = em;
    this.changeLog = changeLog;
    this.policy = policy;
    this.replaced = replaced;
    this.changed = changed;
  }

  /** The current vocabulary; loads (and on first start installs) the schemes when needed. */
  public VocabularySnapshot snapshot() {
    VocabularySnapshot current = snapshot;
    if (current == null) {
      synchronized (this) {
        if (snapshot == null) {
          snapshot = load();
        }
        current = snapshot;
      }
    }
    return current;
  }

  /**
   * One term of a tag or filter resolved against a scheme: the IRI, or the candidates (all concepts
   * with that exact label when {@code ambiguous}, otherwise prefix matches).
   */
  public record Resolution(String term, String iri, List<Concept> candidates, boolean ambiguous) {
    public boolean resolved() {
      return iri != null;
    }
  }

  /**
   * Resolves an IRI, a PaNET-style id (the IRI's last segment) or an exact label/acronym of the
   * scheme; deprecated concepts resolve to their replacement. Unresolved results carry the
   * candidates: every concept with that label (ambiguous) or starting with it (unknown).
   */
  public Resolution resolve(String scheme, String term) {
    VocabularySnapshot v = snapshot();
    String t = term.strip();
    if (v.concept(t).filter(c -> c.scheme().equals(scheme)).isPresent()) {
      return new Resolution(term, v.current(t), List.of(), false);
    }
    List<Concept> byId =
        v.schemes().getOrDefault(scheme, emptyScheme()).concepts().values().stream()
            .filter(c -> c.iri().endsWith("/" + t) || c.iri().endsWith("#" + t))
            .toList();
    if (byId.size() == 1) {
      return new Resolution(term, v.current(byId.get(0).iri()), List.of(), false);
    }
    List<Concept> exact = v.exact(t, scheme);
    List<Concept> live = exact.stream().filter(c -> !c.deprecated()).toList();
    if (live.size() == 1 || exact.size() == 1) {
      return new Resolution(
          term, v.current((live.size() == 1 ? live : exact).get(0).iri()), List.of(), false);
    }
    if (!exact.isEmpty()) {
      return new Resolution(term, null, exact, true);
    }
    return new Resolution(term, null, v.prefixed(t, scheme, 10), false);
  }

  /**
   * The local name of the first of the term's concept and its ancestors whose local name is one of
   * {@code names}: "CUDA 12" gives {@code nvidia}, "Singularity" {@code apptainer}.
   */
  public Optional<String> localNameWithin(String scheme, String term, Set<String> names) {
    Resolution r = resolve(scheme, term);
    if (!r.resolved()) {
      return Optional.empty();
    }
    return snapshot().selfAndAncestors(r.iri()).stream()
        .map(iri -> iri.substring(iri.lastIndexOf('/') + 1))
        .filter(names::contains)
        .findFirst();
  }

  /** Resolves tags for registration: 422 naming the term and its candidates when not exact. */
  public List<String> resolveTags(String scheme, String field, List<String> terms) {
    List<String> iris = new ArrayList<>();
    for (int i = 0; i < terms.size(); i++) {
      Resolution r = resolve(scheme, terms.get(i));
      if (!r.resolved()) {
        throw unresolved(TermUnresolved.Use.TAG, field + "[" + i + "]", scheme, r);
      }
      if (!iris.contains(r.iri())) {
        iris.add(r.iri());
      }
    }
    return iris;
  }

  /** The failure for a term that did not resolve, listing candidates with their schemes. */
  public static TermUnresolved unresolved(
      TermUnresolved.Use use, String field, String scheme, Resolution r) {
    return new TermUnresolved(use, field, scheme, r);
  }

  static Map<String, Object> candidate(Concept c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("iri", c.iri());
    m.put("scheme", c.scheme());
    m.put("prefLabel", c.prefLabel());
    if (!c.altLabels().isEmpty()) {
      m.put("altLabels", c.altLabels());
    }
    return m;
  }

  /**
   * Installs a new revision of a scheme (admin): validates it, refuses removing a concept that is
   * still a live concept elsewhere in use, migrates tags of newly deprecated concepts, and records
   * the change.
   */
  @Transactional
  public ConceptScheme replace(String id, String turtle, Principal principal) {
    policy.requireAdmin(principal);
    SchemeEntity entity = em.find(SchemeEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (entity == null) {
      throw ProblemException.notFound("no concept scheme '" + id + "'");
    }
    SkosReader.Result read = SkosReader.read(id, turtle, entity.revision + 1);
    if (read.scheme().isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_SCHEME,
          read.errors().get(0),
          read.errors().stream().map(e -> new Problem.FieldError("body", e)).toList(),
          Map.of(),
          Map.of());
    }
    ConceptScheme next = read.scheme().get();
    if (!next.iri().equals(entity.iri)) {
      throw new ProblemException(
          ProblemType.INVALID_SCHEME,
          "the scheme IRI must stay " + entity.iri + ", got " + next.iri());
    }
    VocabularySnapshot current = snapshot();
    ConceptScheme previous = current.schemes().get(id);
    for (Concept c : next.concepts().values()) {
      current
          .concept(c.iri())
          .filter(other -> !other.scheme().equals(id))
          .ifPresent(
              other -> {
                throw new ProblemException(
                    ProblemType.INVALID_SCHEME,
                    c.iri() + " is already a concept of scheme " + other.scheme());
              });
    }
    List<String> removed =
        previous.concepts().keySet().stream()
            .filter(iri -> !next.concepts().containsKey(iri))
            .sorted()
            .toList();
    if (!removed.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_SCHEME,
          removed.size()
              + " concept(s) would disappear, e.g. "
              + removed.get(0)
              + "; keep them with owl:deprecated true and dct:isReplacedBy instead");
    }
    Map<String, String> replacements = new LinkedHashMap<>();
    for (Concept c : next.concepts().values()) {
      Concept before = previous.concepts().get(c.iri());
      if (c.deprecated() && c.replacedBy() != null && (before == null || !before.deprecated())) {
        replacements.put(c.iri(), c.replacedBy());
      }
    }
    entity.revision = next.revision();
    entity.sourceVersion = next.sourceVersion();
    entity.turtle = turtle;
    entity.origin = SchemeEntity.ADMIN;
    entity.updatedAt = Instant.now();
    entity.updatedBy = principal.actor();
    Map<String, ConceptScheme> schemes = new HashMap<>(current.schemes());
    schemes.put(id, next);
    VocabularySnapshot updated = new VocabularySnapshot(schemes.values());
    snapshot = updated;
    changeLog.append(
        Change.Op.upsert,
        EntityKind.VOCABULARY_SCHEME,
        id,
        Integer.toString(next.revision()),
        principal.actor(),
        summary(next, replacements));
    if (!replacements.isEmpty()) {
      replaced.fire(new ConceptsReplaced(id, replacements, principal.actor()));
    }
    changed.fire(new VocabularyChanged(id, next.revision()));
    return next;
  }

  /** Installs the shipped schemes before anything else at start uses the vocabulary. */
  void onStart(@Observes @Priority(10) StartupEvent event) {
    snapshot();
  }

  /** Drops the in-memory snapshot when the installing transaction rolls back. */
  void onRollback(@Observes(during = TransactionPhase.AFTER_FAILURE) VocabularyChanged event) {
    synchronized (this) {
      snapshot = null;
    }
  }

  public String turtle(String id) {
    SchemeEntity entity = em.find(SchemeEntity.class, id);
    if (entity == null) {
      throw ProblemException.notFound("no concept scheme '" + id + "'");
    }
    return entity.turtle;
  }

  public Map<String, Object> describe(ConceptScheme scheme) {
    SchemeEntity entity = em.find(SchemeEntity.class, scheme.id());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", scheme.id());
    m.put("iri", scheme.iri());
    m.put("title", scheme.title());
    m.put("sourceVersion", scheme.sourceVersion());
    m.put("revision", scheme.revision());
    m.put("concepts", scheme.concepts().size());
    if (entity != null) {
      m.put("origin", entity.origin);
      m.put("updatedAt", entity.updatedAt);
    }
    return m;
  }

  @Transactional
  VocabularySnapshot load() {
    List<ConceptScheme> schemes = new ArrayList<>();
    for (Map.Entry<String, String> shipped : SHIPPED.entrySet()) {
      String id = shipped.getKey();
      SchemeEntity entity = em.find(SchemeEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
      String shippedTurtle = resource("vocab/" + shipped.getValue());
      if (entity == null
          || SchemeEntity.SHIPPED.equals(entity.origin) && !entity.turtle.equals(shippedTurtle)) {
        entity = installShipped(id, shippedTurtle, entity);
      }
      SkosReader.Result read = SkosReader.read(id, entity.turtle, entity.revision);
      schemes.add(
          read.scheme()
              .orElseThrow(
                  () -> new IllegalStateException("stored scheme " + id + ": " + read.errors())));
    }
    return new VocabularySnapshot(schemes);
  }

  private SchemeEntity installShipped(String id, String turtle, SchemeEntity existing) {
    int revision = existing == null ? 1 : existing.revision + 1;
    ConceptScheme scheme =
        SkosReader.read(id, turtle, revision)
            .scheme()
            .orElseThrow(() -> new IllegalStateException("shipped scheme " + id + " is invalid"));
    SchemeEntity entity = existing == null ? new SchemeEntity() : existing;
    entity.id = id;
    entity.iri = scheme.iri();
    entity.revision = revision;
    entity.sourceVersion = scheme.sourceVersion();
    entity.origin = SchemeEntity.SHIPPED;
    entity.turtle = turtle;
    entity.updatedAt = Instant.now();
    entity.updatedBy = SHIPPED_ACTOR;
    if (existing == null) {
      em.persist(entity);
    }
    changeLog.append(
        Change.Op.upsert,
        EntityKind.VOCABULARY_SCHEME,
        id,
        Integer.toString(revision),
        SHIPPED_ACTOR,
        summary(scheme, Map.of()));
    return entity;
  }

  private static Map<String, Object> summary(ConceptScheme s, Map<String, String> replacements) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("iri", s.iri());
    m.put("sourceVersion", s.sourceVersion());
    m.put("revision", s.revision());
    m.put("concepts", s.concepts().size());
    if (!replacements.isEmpty()) {
      m.put("replaced", replacements);
    }
    return m;
  }

  private static String resource(String name) {
    try (InputStream in = Vocabulary.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing shipped vocabulary " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ConceptScheme emptyScheme() {
    return new ConceptScheme("", "", "", "", 0, Map.of());
  }

  private static Map<String, String> linked(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}
