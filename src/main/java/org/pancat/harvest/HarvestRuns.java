package org.pancat.harvest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;
import org.pancat.kernel.RetriedOnConflict;
import org.pancat.problem.ProblemException;

/** Runs of harvest sources: at most one at a time per source, with counts while they go. */
@ApplicationScoped
class HarvestRuns {
  static final String RUNNING = "running";
  static final String SUCCEEDED = "succeeded";
  static final String REFUSED = "refused";
  static final String FAILED = "failed";
  static final String INTERRUPTED = "interrupted";

  private final EntityManager em;
  private final CanonicalJson json;
  private final ObjectMapper mapper;
  private final HarvestConfig config;

  HarvestRuns(EntityManager em, CanonicalJson json, ObjectMapper mapper, HarvestConfig config) {
    this.em = em;
    this.json = json;
    this.mapper = mapper;
    this.config = config;
  }

  /** A run as its report: counts, progress, and the items worth reading. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RunView(
      long id,
      String source,
      String state,
      String trigger,
      Instant startedAt,
      Instant finishedAt,
      Long durationMs,
      Counts counts,
      Progress progress,
      String reason,
      List<RunReport.Item> items,
      Boolean itemsTruncated) {}

  public record Counts(
      int added,
      int updated,
      int unchanged,
      int refused,
      int skipped,
      int gone,
      int withdrawn,
      int requests) {}

  /** How far a run is: items done, of how many known so far (null while still listing). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Progress(int done, Integer total) {}

  /** Starts a run of the source, or answers the one already going ({@code created} false). */
  @RetriedOnConflict
  @Transactional
  Started begin(String sourceId, String trigger) {
    HarvestSourceEntity source =
        em.find(HarvestSourceEntity.class, sourceId, LockModeType.PESSIMISTIC_WRITE);
    if (source == null) {
      throw ProblemException.notFound("harvest source " + sourceId + " is not registered here");
    }
    Optional<HarvestRunEntity> running = runningOf(sourceId);
    if (running.isPresent()) {
      return new Started(view(running.get(), false), false);
    }
    HarvestRunEntity run = new HarvestRunEntity();
    run.sourceId = sourceId;
    run.state = RUNNING;
    run.trigger = trigger;
    run.startedAt = Instant.now();
    run.runningSource = sourceId;
    em.persist(run);
    em.flush();
    return new Started(view(run, false), true);
  }

  record Started(RunView run, boolean created) {}

  /** Saves how far the run is, so a long run can be watched. */
  @Transactional
  void progress(long runId, RunReport report) {
    HarvestRunEntity run = em.find(HarvestRunEntity.class, runId);
    if (run != null && RUNNING.equals(run.state)) {
      copy(report, run);
    }
  }

  /**
   * Ends the run: its state, counts and report; when the source runs next and, for a run that read
   * the whole source without a refusal, what it read ({@code lastState}, null to keep the one
   * there). A source changed while the run went keeps what the change set.
   */
  @Transactional
  RunView finish(long runId, String state, String reason, RunReport report, String lastState) {
    HarvestRunEntity run = em.find(HarvestRunEntity.class, runId, LockModeType.PESSIMISTIC_WRITE);
    copy(report, run);
    run.state = state;
    run.reason = reason == null ? null : truncate(reason, 2000);
    run.finishedAt = Instant.now();
    run.runningSource = null;
    HarvestSourceEntity source =
        em.find(HarvestSourceEntity.class, run.sourceId, LockModeType.PESSIMISTIC_WRITE);
    if (source != null && !source.updatedAt.isAfter(run.startedAt)) {
      if (lastState != null) {
        source.lastState = lastState;
      }
      source.nextRunAt = nextRun(source, run.finishedAt);
    }
    prune(run.sourceId);
    return view(run, true);
  }

  private Instant nextRun(HarvestSourceEntity source, Instant after) {
    Duration every =
        json.read(source.document, HarvestSourceDocument.class).every(config.defaultInterval());
    return every.isZero() ? null : after.plus(every);
  }

  /** Runs a stopped node left running end as interrupted; their source runs again when due. */
  @Transactional
  int interruptLeftRunning() {
    List<HarvestRunEntity> left =
        em.createQuery(
                "from HarvestRunEntity r where r.runningSource is not null", HarvestRunEntity.class)
            .getResultList();
    for (HarvestRunEntity run : left) {
      run.state = INTERRUPTED;
      run.reason =
          "the node stopped during the run; what it had written stays, the rest is read again";
      run.finishedAt = Instant.now();
      run.runningSource = null;
    }
    return left.size();
  }

  @Transactional
  Page<RunView> list(String sourceId, Paging paging) {
    long total =
        em.createQuery("select count(r) from HarvestRunEntity r where r.sourceId = :s", Long.class)
            .setParameter("s", sourceId)
            .getSingleResult();
    List<RunView> items =
        em
            .createQuery(
                "from HarvestRunEntity r where r.sourceId = :s order by r.id desc",
                HarvestRunEntity.class)
            .setParameter("s", sourceId)
            .setFirstResult((paging.page() - 1) * paging.size())
            .setMaxResults(paging.size())
            .getResultList()
            .stream()
            .map(r -> view(r, false))
            .toList();
    return new Page<>(items, paging.page(), paging.size(), total);
  }

  @Transactional
  RunView get(String sourceId, long runId) {
    HarvestRunEntity run = em.find(HarvestRunEntity.class, runId);
    if (run == null || !run.sourceId.equals(sourceId)) {
      throw ProblemException.notFound("run " + runId + " of source " + sourceId + " is not here");
    }
    return view(run, true);
  }

  Optional<RunView> last(String sourceId) {
    return em.createQuery(
            "from HarvestRunEntity r where r.sourceId = :s order by r.id desc",
            HarvestRunEntity.class)
        .setParameter("s", sourceId)
        .setMaxResults(1)
        .getResultStream()
        .findFirst()
        .map(r -> view(r, false));
  }

  private Optional<HarvestRunEntity> runningOf(String sourceId) {
    return em.createQuery(
            "from HarvestRunEntity r where r.runningSource = :s", HarvestRunEntity.class)
        .setParameter("s", sourceId)
        .getResultStream()
        .findFirst();
  }

  private void prune(String sourceId) {
    List<Long> old =
        em.createQuery(
                "select r.id from HarvestRunEntity r where r.sourceId = :s and r.runningSource is null order by r.id desc",
                Long.class)
            .setParameter("s", sourceId)
            .setFirstResult(config.runsKept())
            .getResultList();
    if (!old.isEmpty()) {
      em.createQuery("delete from HarvestRunEntity r where r.id in :ids")
          .setParameter("ids", old)
          .executeUpdate();
    }
  }

  private void copy(RunReport report, HarvestRunEntity run) {
    run.itemsTotal = report.total();
    run.itemsDone = report.done();
    run.added = report.count(RunReport.Outcome.added);
    run.updated = report.count(RunReport.Outcome.updated);
    run.unchanged = report.count(RunReport.Outcome.unchanged);
    run.refused = report.count(RunReport.Outcome.refused);
    run.skipped = report.count(RunReport.Outcome.skipped);
    run.gone = report.count(RunReport.Outcome.gone);
    run.withdrawn = report.count(RunReport.Outcome.withdrawn);
    run.requests = report.requests();
    run.report = json.write(new StoredReport(report.items(), report.truncated()));
  }

  private record StoredReport(List<RunReport.Item> items, boolean truncated) {}

  private RunView view(HarvestRunEntity run, boolean withItems) {
    StoredReport stored = withItems ? stored(run.report) : null;
    Instant end = run.finishedAt;
    return new RunView(
        run.id,
        run.sourceId,
        run.state,
        run.trigger,
        run.startedAt,
        run.finishedAt,
        end == null ? null : Duration.between(run.startedAt, end).toMillis(),
        new Counts(
            run.added,
            run.updated,
            run.unchanged,
            run.refused,
            run.skipped,
            run.gone,
            run.withdrawn,
            run.requests),
        new Progress(run.itemsDone, run.itemsTotal),
        run.reason,
        stored == null ? null : stored.items(),
        stored == null ? null : stored.truncated());
  }

  private StoredReport stored(String report) {
    if (report == null) {
      return new StoredReport(List.of(), false);
    }
    try {
      return mapper.readValue(report, new TypeReference<StoredReport>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
