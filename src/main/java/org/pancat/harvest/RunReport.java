package org.pancat.harvest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run has done so far: exact counts and the items worth reading (every item but the
 * unchanged ones, up to a bound). Kept by the run's own thread; snapshots go to the database.
 */
final class RunReport {
  /** What became of one item. */
  enum Outcome {
    /** a new artifact (and the software and release it needed) */
    added,
    /** a tag that moved to a new digest (a new artifact), or software metadata the harvest owns */
    updated,
    unchanged,
    /** the item was read but not written: a reason says why */
    refused,
    /** read and left on purpose (a package that matches no software) */
    skipped,
    /** no longer in the source; its artifact stays */
    gone,
    /** no longer in the source, and its artifact withdrawn as the source's policy says */
    withdrawn
  }

  /** One item of the report. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  record Item(
      String key,
      Outcome outcome,
      String reason,
      String software,
      String version,
      String artifact,
      String digest,
      List<String> notes) {}

  private final int maxItems;
  private final List<Item> items = new ArrayList<>();
  private final int[] counts = new int[Outcome.values().length];
  private int requests;
  private Integer total;
  private int done;

  RunReport(int maxItems) {
    this.maxItems = maxItems;
  }

  void record(Item item) {
    counts[item.outcome().ordinal()]++;
    done++;
    if (item.outcome() != Outcome.unchanged && items.size() < maxItems) {
      items.add(item);
    }
  }

  void refused(String key, String reason) {
    record(new Item(key, Outcome.refused, reason, null, null, null, null, List.of()));
  }

  /** Counts the items a run is about to read, so its progress can be told. */
  void expect(int more) {
    total = (total == null ? 0 : total) + more;
  }

  void requested(int count) {
    requests += count;
  }

  int count(Outcome outcome) {
    return counts[outcome.ordinal()];
  }

  int requests() {
    return requests;
  }

  Integer total() {
    return total;
  }

  int done() {
    return done;
  }

  List<Item> items() {
    return List.copyOf(items);
  }

  boolean truncated() {
    int listed = done - count(Outcome.unchanged);
    return listed > items.size();
  }
}
