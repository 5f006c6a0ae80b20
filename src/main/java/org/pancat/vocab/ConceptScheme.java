package org.pancat.vocab;

import java.util.Map;

/**
 * One concept scheme: {@code id} is the short name used in the API ("techniques"), {@code
 * sourceVersion} what its Turtle declares ({@code owl:versionInfo}), {@code revision} the node's
 * own counter, bumped by every replacement.
 */
public record ConceptScheme(
    String id,
    String iri,
    String title,
    String sourceVersion,
    int revision,
    Map<String, Concept> concepts) {

  public ConceptScheme {
    concepts = Map.copyOf(concepts);
  }
}
