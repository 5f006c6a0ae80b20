package org.pancat.search;

import java.util.List;
import java.util.Map;

/**
 * A resolved query: free text plus filters by index field. Values of one field are alternatives
 * (OR); fields are combined with AND. Concept filters name IRIs and match their narrower tags.
 * Without {@code facets} only the hits are computed and the total may be a lower bound.
 */
public record SearchQuery(
    String text,
    Map<String, List<String>> filters,
    boolean withdrawn,
    int page,
    int size,
    boolean facets) {

  public static final List<String> FACETS =
      List.of("facility", "licence", "technique", "trust", "sharing", "kind", "arch", "gpu");
}
