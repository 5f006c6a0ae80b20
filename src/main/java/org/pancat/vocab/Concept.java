package org.pancat.vocab;

import java.util.List;
import java.util.Set;

/** A SKOS concept as loaded from a scheme. Labels are trimmed; acronyms are altLabels. */
public record Concept(
    String iri,
    String scheme,
    String prefLabel,
    List<String> altLabels,
    String definition,
    Set<String> broader,
    boolean deprecated,
    String replacedBy) {

  public Concept {
    altLabels = List.copyOf(altLabels);
    broader = Set.copyOf(broader);
  }
}
