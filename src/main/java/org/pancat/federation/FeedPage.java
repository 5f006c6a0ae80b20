package org.pancat.federation;

import java.time.Instant;
import java.util.List;

/**
 * A page of a node's change feed, signed as a whole by the serving node.
 *
 * @param node the serving node's id
 * @param after the cursor the page was asked for (a replayed or rolled-back page shows here)
 * @param next the cursor to ask for next (the last entry's seq, or {@code after} when empty)
 * @param head the serving node's newest seq when the page was made (how far behind the reader is)
 * @param servedAt when the page was signed
 */
public record FeedPage(
    String node, long after, long next, long head, Instant servedAt, List<FeedEntry> entries) {}
