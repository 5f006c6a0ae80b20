package org.pancat.search;

import java.util.List;
import java.util.Map;

/**
 * The port to a search engine. Implementations keep, next to the documents, the change-log position
 * they reflect, so the indexer can catch up after a crash and detect a foreign index.
 */
public interface SearchIndex {

  /** The log this index was built from and the last change it reflects. */
  record Cursor(String logId, long seq) {}

  /** Hits in order, the exact total, and counts per facet value. */
  record Hits(List<Hit> hits, long total, Map<String, List<FacetCount>> facets) {}

  record Hit(String id, float score, String summaryJson) {}

  record FacetCount(String value, long count) {}

  Cursor cursor();

  /**
   * Applies upserts and deletions and records {@code seq} as reflected (idempotent). Searches see
   * them after the next {@link #refresh}.
   */
  void apply(List<IndexedSoftware> upserts, List<String> deletions, Cursor cursor);

  /** Makes everything applied so far visible to searches. */
  void refresh();

  /** Drops every document and starts following {@code logId} from the beginning. */
  void reset(String logId);

  Hits search(SearchQuery query);

  /**
   * Only the ids of the hits of the requested page (no summaries, no total), in the order {@link
   * #search} pages them (relevance for free text, ties by id), so the same catalogue gives the same
   * ids whatever order the index was built in.
   */
  List<String> ids(SearchQuery query);

  /** Makes everything applied so far durable. */
  void commit();
}
