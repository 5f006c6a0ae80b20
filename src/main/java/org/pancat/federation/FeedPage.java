package org.pancat.federation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A page of a node's change feed, signed as a whole by the serving node.
 *
 * @param node the serving node's id
 * @param after the cursor the page was asked for (a replayed or rolled-back page shows here)
 * @param next the cursor to ask for next (the last entry's seq, or {@code after} when empty)
 * @param head the serving node's newest seq when the page was made (how far behind the reader is)
 * @param servedAt when the page was signed
 * @param originKeys the public keys (JWK sets) the serving node holds of the origins of the entries
 *     it relays, so a reader that cannot reach an origin can still verify its entries; a reader
 *     uses only those whose fingerprints it pinned for that origin, so a relay cannot forge them
 */
public record FeedPage(
    String node,
    long after,
    long next,
    long head,
    Instant servedAt,
    List<FeedEntry> entries,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<String, Object>> originKeys) {
  public FeedPage {
    entries = entries == null ? List.of() : List.copyOf(entries);
    originKeys = originKeys == null ? Map.of() : Map.copyOf(originKeys);
  }
}
