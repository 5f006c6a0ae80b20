package org.pancat.harvest;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;
import org.pancat.access.Principal;
import org.pancat.problem.ProblemException;

/**
 * One run of one source, as its harvester sees it: what the source yielded last time, where the
 * items go, and the report. Used by the run's own thread only.
 */
final class RunContext {
  private static final Logger LOG = Logger.getLogger(RunContext.class);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

  final String sourceId;
  final long runId;
  final HarvestSourceDocument source;
  final Principal harvester;
  final RunReport report;
  final boolean full;
  private final Map<String, HarvestItemEntity> known;
  private final HarvestWriter writer;
  private final HarvestRuns runs;
  private final BooleanSupplier stopping;
  private Instant lastProgress = Instant.now();
  private final Set<String> softwareWritten = new HashSet<>();

  /** What the harvester read of the whole source, kept for the next run (an InRelease's hash). */
  String readState;

  /** What the last complete run read of the whole source; null for a full run. */
  String previousState;

  RunContext(
      String sourceId,
      long runId,
      HarvestSourceDocument source,
      RunReport report,
      boolean full,
      Map<String, HarvestItemEntity> known,
      HarvestWriter writer,
      HarvestRuns runs,
      BooleanSupplier stopping) {
    this.sourceId = sourceId;
    this.runId = runId;
    this.source = source;
    this.harvester = Principal.harvester(sourceId, source.facility());
    this.report = report;
    this.full = full;
    this.known = known;
    this.writer = writer;
    this.runs = runs;
    this.stopping = stopping;
  }

  /** The digest the item had last time, if the source yielded it before. */
  String knownDigest(String key) {
    HarvestItemEntity item = known.get(key);
    return item == null ? null : item.digest;
  }

  /** Whether the item is as the last run left it, so it need not be read again. */
  boolean unchanged(String key, String digest) {
    HarvestItemEntity item = known.get(key);
    return !full && item != null && item.goneAt == null && item.digest.equals(digest);
  }

  void recordUnchanged(String key) {
    report.record(
        new RunReport.Item(
            key, RunReport.Outcome.unchanged, null, null, null, null, null, List.of()));
    progress();
  }

  /** The source is as the last run read it: every item it yielded then is unchanged. */
  void allUnchanged(String prefix) {
    List<String> keys =
        known.values().stream()
            .filter(i -> i.goneAt == null)
            .map(i -> i.key.itemKey())
            .filter(k -> k.startsWith(prefix))
            .toList();
    report.expect(keys.size());
    keys.forEach(this::recordUnchanged);
  }

  /** Writes the item (whole, or not at all) and reports what became of it. */
  void write(HarvestedItem item) {
    try {
      // software the source owns is written from the first of its items in a run, not from each
      // (two tags with other labels would otherwise rewrite it back and forth)
      boolean firstOfSoftware = !softwareWritten.contains(item.slug());
      report.record(writer.write(sourceId, source.facility(), item, harvester, firstOfSoftware));
      softwareWritten.add(item.slug());
    } catch (RuntimeException e) {
      report.refused(item.key(), reason(e, item.key()));
    }
    progress();
  }

  void refuse(String key, String reason) {
    report.refused(key, reason);
    progress();
  }

  void skip(String key, String reason) {
    report.record(
        new RunReport.Item(
            key, RunReport.Outcome.skipped, reason, null, null, null, null, List.of()));
    progress();
  }

  /**
   * The items this source yielded before under {@code prefix} that it no longer has: reported, and
   * withdrawn where the source says so. Only for a part of the source that was read whole.
   */
  void goneUnder(String prefix, Set<String> present) {
    for (HarvestItemEntity item : known.values()) {
      String key = item.key.itemKey();
      if (key.startsWith(prefix) && !present.contains(key) && item.goneAt == null) {
        try {
          RunReport.Item gone =
              writer.gone(sourceId, source.facility(), item, source.withdrawsGone(), harvester);
          report.record(gone);
        } catch (RuntimeException e) {
          report.refused(key, reason(e, key));
        }
      }
    }
  }

  boolean stopping() {
    return stopping.getAsBoolean();
  }

  private void progress() {
    Instant now = Instant.now();
    if (Duration.between(lastProgress, now).compareTo(PROGRESS_EVERY) >= 0) {
      lastProgress = now;
      runs.progress(runId, report);
    }
  }

  private String reason(RuntimeException e, String key) {
    return ProblemException.safeDetail(e)
        .orElseGet(
            () -> {
              // the key may name a restricted image: the log says which run, the report which item
              LOG.errorf(e, "harvest source %s run %d: writing an item failed", sourceId, runId);
              return "writing it failed on this node (see the node's log)";
            });
  }
}
