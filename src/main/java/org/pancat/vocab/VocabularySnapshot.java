package org.pancat.vocab;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * All schemes at one moment, with the indexes look-ups need: labels (case-insensitive, prefLabel
 * and altLabel), narrower concepts and the transitive closure both ways. Immutable; replaced whole
 * when a scheme changes.
 */
public final class VocabularySnapshot {
  private final Map<String, ConceptScheme> schemes;
  private final Map<String, Concept> concepts = new HashMap<>();
  private final TreeMap<String, List<Concept>> byLabel = new TreeMap<>();
  private final Map<String, Set<String>> narrower = new HashMap<>();
  private final Map<String, Set<String>> ancestors = new HashMap<>();
  private final Map<String, Set<String>> descendants = new HashMap<>();

  VocabularySnapshot(Collection<ConceptScheme> schemes) {
    Map<String, ConceptScheme> byId = new TreeMap<>();
    for (ConceptScheme scheme : schemes) {
      byId.put(scheme.id(), scheme);
      concepts.putAll(scheme.concepts());
    }
    this.schemes = byId;
    for (Concept c : concepts.values()) {
      label(c.prefLabel(), c);
      c.altLabels().forEach(l -> label(l, c));
      for (String parent : c.broader()) {
        narrower.computeIfAbsent(parent, k -> new TreeSet<>()).add(c.iri());
      }
    }
    for (String iri : concepts.keySet()) {
      ancestors.put(iri, closure(iri, i -> concepts.get(i).broader()));
      descendants.put(iri, closure(iri, i -> narrower.getOrDefault(i, Set.of())));
    }
  }

  /**
   * Builds a snapshot from Turtle documents by scheme id (tests and benchmarks); fails on the first
   * invalid scheme.
   */
  public static VocabularySnapshot fromTurtle(Map<String, String> turtleById) {
    List<ConceptScheme> schemes = new ArrayList<>();
    turtleById.forEach(
        (id, turtle) -> {
          SkosReader.Result r = SkosReader.read(id, turtle, 1);
          schemes.add(
              r.scheme().orElseThrow(() -> new IllegalArgumentException(id + ": " + r.errors())));
        });
    return new VocabularySnapshot(schemes);
  }

  public Map<String, ConceptScheme> schemes() {
    return schemes;
  }

  public Optional<Concept> concept(String iri) {
    return Optional.ofNullable(concepts.get(iri));
  }

  /** The concept itself and all its ancestors. */
  public Set<String> selfAndAncestors(String iri) {
    Set<String> result = new LinkedHashSet<>();
    result.add(iri);
    result.addAll(ancestors.getOrDefault(iri, Set.of()));
    return result;
  }

  public Set<String> descendants(String iri) {
    return descendants.getOrDefault(iri, Set.of());
  }

  public Set<String> narrower(String iri) {
    return narrower.getOrDefault(iri, Set.of());
  }

  /** Follows replacements of deprecated concepts to a live one. */
  public String current(String iri) {
    String at = iri;
    for (int hops = 0; hops < 20; hops++) {
      Concept c = concepts.get(at);
      if (c == null || !c.deprecated() || c.replacedBy() == null) {
        return at;
      }
      at = c.replacedBy();
    }
    return at;
  }

  /** Concepts with exactly this label or acronym (case-insensitive), optionally of one scheme. */
  public List<Concept> exact(String label, String scheme) {
    return byLabel.getOrDefault(key(label), List.of()).stream()
        .filter(c -> scheme == null || c.scheme().equals(scheme))
        .sorted(ORDER)
        .toList();
  }

  /**
   * Concepts with a label starting with {@code prefix}, exact matches excluded, for autocomplete.
   */
  public List<Concept> prefixed(String prefix, String scheme, int limit) {
    String from = key(prefix);
    Set<Concept> found = new LinkedHashSet<>();
    for (Map.Entry<String, List<Concept>> e : byLabel.tailMap(from, false).entrySet()) {
      if (!e.getKey().startsWith(from) || found.size() >= limit) {
        break;
      }
      e.getValue().stream()
          .filter(c -> scheme == null || c.scheme().equals(scheme))
          .forEach(found::add);
    }
    List<Concept> result = new ArrayList<>(found);
    result.removeAll(exact(prefix, scheme));
    return result.stream().limit(limit).toList();
  }

  /** The label of {@code c} that {@code query} matched (exactly or as prefix). */
  static String matchedLabel(Concept c, String query) {
    String q = key(query);
    List<String> labels = new ArrayList<>();
    labels.add(c.prefLabel());
    labels.addAll(c.altLabels());
    return labels.stream()
        .filter(l -> key(l).equals(q))
        .findFirst()
        .orElse(
            labels.stream().filter(l -> key(l).startsWith(q)).findFirst().orElse(c.prefLabel()));
  }

  static String key(String label) {
    return label.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
  }

  private static final Comparator<Concept> ORDER =
      Comparator.comparing(Concept::scheme).thenComparing(Concept::iri);

  private void label(String label, Concept c) {
    List<Concept> list = byLabel.computeIfAbsent(key(label), k -> new ArrayList<>());
    if (!list.contains(c)) {
      list.add(c);
    }
  }

  private static Set<String> closure(String start, Function<String, Set<String>> next) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(next.apply(start));
    while (!todo.isEmpty()) {
      String iri = todo.remove(todo.size() - 1);
      if (seen.add(iri)) {
        todo.addAll(next.apply(iri));
      }
    }
    return seen;
  }
}
