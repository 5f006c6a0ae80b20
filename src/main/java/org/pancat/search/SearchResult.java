package org.pancat.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;

/** A page of search hits with facets, how the query was understood, and possible meanings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchResult(
    List<SearchHit> items,
    int page,
    int size,
    long total,
    Map<String, List<FacetValue>> facets,
    List<ResolvedFilter> filters,
    List<Interpretation> interpretations) {

  /** A hit: the software summary, its score and why it matched. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SearchHit(
      @JsonUnwrapped SoftwareSummary software, Float score, List<MatchReason> matched) {}

  /** One reason a hit matched: a concept (and via which relation) or a text field. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MatchReason(String concept, String label, String field, String via) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FacetValue(String value, long count, String label) {}

  /** A concept filter as resolved: the term given and the concept it means. */
  public record ResolvedFilter(String parameter, String term, String concept, String label) {}

  /** A concept a free-text query could mean, so a UI can ask which one. */
  public record Interpretation(String concept, String scheme, String label, String parameter) {}
}
