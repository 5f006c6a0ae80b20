package org.pancat.harvest;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.pancat.access.Principal;
import org.pancat.changelog.Written;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;
import org.pancat.problem.ProblemException;
import org.pancat.search.SearchIndexer;

/**
 * Runs harvest sources: on demand, and by themselves when due. A run goes on a worker thread; its
 * items are written one transaction each, its counts saved as it goes.
 */
@ApplicationScoped
public class HarvestService {
  private static final Logger LOG = Logger.getLogger(HarvestService.class);
  static final String ON_DEMAND = "on-demand";
  static final String SCHEDULED = "scheduled";

  private final HarvestSources sources;
  private final HarvestRuns runs;
  private final HarvestWriter writer;
  private final HarvestConfig config;
  private final EntityManager em;
  private final Map<String, Harvester> harvesters;
  private final SearchIndexer search;
  private ExecutorService workers;
  private ScheduledExecutorService clock;
  private volatile boolean stopping;

  HarvestService(
      HarvestSources sources,
      HarvestRuns runs,
      HarvestWriter writer,
      HarvestConfig config,
      EntityManager em,
      Instance<Harvester> harvesters,
      SearchIndexer search) {
    this.search = search;
    this.sources = sources;
    this.runs = runs;
    this.writer = writer;
    this.config = config;
    this.em = em;
    this.harvesters =
        harvesters.stream().collect(Collectors.toMap(Harvester::kind, Function.identity()));
  }

  void start(@Observes StartupEvent event) {
    int interrupted = runs.interruptLeftRunning();
    if (interrupted > 0) {
      LOG.infof(
          "%d harvest run(s) left running by a stopped node are marked interrupted", interrupted);
    }
    workers = Executors.newFixedThreadPool(config.concurrentRuns(), named("pancat-harvest"));
    if (config.scheduled()) {
      clock = Executors.newSingleThreadScheduledExecutor(named("pancat-harvest-clock"));
      long every = config.checkEvery().toMillis();
      clock.scheduleWithFixedDelay(this::runDue, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops before the database closes: no run starts, one going ends at its next item. */
  void stop(@Observes @Priority(10) ShutdownEvent event) {
    stopping = true;
    if (clock != null) {
      clock.shutdown();
    }
    if (workers != null) {
      workers.shutdown();
      try {
        if (!workers.awaitTermination(20, TimeUnit.SECONDS)) {
          LOG.warn(
              "a harvest run did not stop in 20 s; it is marked interrupted at the next start");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public Written<HarvestSources.SourceView> put(
      String id, HarvestSourceDocument document, Principal principal) {
    return sources.put(id, document, principal);
  }

  public HarvestSources.SourceView source(String id, Principal principal) {
    return sources.get(id, principal);
  }

  public Page<HarvestSources.SourceView> sources(Principal principal, Paging paging) {
    return sources.list(principal, paging);
  }

  public void delete(String id, Principal principal) {
    sources.delete(id, principal);
  }

  /**
   * Starts a run of the source (or answers the one going: {@code created} false).
   *
   * @param full read every item again, as if the source were new (still writing nothing that is
   *     already there)
   */
  public Written<HarvestRuns.RunView> run(String id, boolean full, Principal principal) {
    sources.readable(id, principal, LockModeType.NONE);
    if (stopping) {
      throw ProblemException.conflict("the node is stopping; run the source again once it is up");
    }
    HarvestRuns.Started started = runs.begin(id, ON_DEMAND);
    if (started.created()) {
      submit(id, started.run().id(), full);
    }
    return new Written<>(started.run(), started.created());
  }

  public Page<HarvestRuns.RunView> runs(String id, Paging paging, Principal principal) {
    sources.readable(id, principal, LockModeType.NONE);
    return runs.list(id, paging);
  }

  public HarvestRuns.RunView run(String id, long runId, Principal principal) {
    sources.readable(id, principal, LockModeType.NONE);
    return runs.get(id, runId);
  }

  private void runDue() {
    if (stopping) {
      return;
    }
    try {
      for (String id : due()) {
        HarvestRuns.Started started = runs.begin(id, SCHEDULED);
        if (started.created()) {
          submit(id, started.run().id(), false);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("looking for harvest sources that are due failed", e);
    }
  }

  @Transactional
  List<String> due() {
    return em.createQuery(
            "select s.id from HarvestSourceEntity s where s.nextRunAt <= :now order by s.nextRunAt",
            String.class)
        .setParameter("now", Instant.now())
        .getResultList();
  }

  private void submit(String id, long runId, boolean full) {
    workers.execute(() -> execute(id, runId, full));
  }

  private void execute(String id, long runId, boolean full) {
    RunReport report = new RunReport(config.reportItems());
    String state = HarvestRuns.FAILED;
    String reason = "the run failed on this node (see the node's log)";
    RunContext context = null;
    try {
      HarvestSourceEntity source = sources.entity(id);
      HarvestSourceDocument document = sources.document(source);
      Instant deadline = Instant.now().plus(config.maxRunDuration());
      context =
          new RunContext(
              id,
              runId,
              document,
              report,
              full,
              writer.items(id),
              writer,
              runs,
              () -> stopping || Instant.now().isAfter(deadline));
      context.previousState = full ? null : source.lastState;
      harvesters.get(document.kind()).harvest(context);
      if (stopping) {
        state = HarvestRuns.INTERRUPTED;
        reason = "the node stopped during the run; what it had written stays";
      } else if (Instant.now().isAfter(deadline)) {
        state = HarvestRuns.INTERRUPTED;
        reason =
            "the run took longer than pancat.harvest.max-run-duration; what it had written stays, the next run goes on";
      } else {
        state = HarvestRuns.SUCCEEDED;
        reason = null;
      }
    } catch (HarvestRefused refused) {
      state = HarvestRuns.REFUSED;
      reason = refused.getMessage();
    } catch (RuntimeException e) {
      LOG.errorf(e, "harvest source %s run %d failed", id, runId);
    } finally {
      // items are indexed beside the run; when it ends, all it wrote is searchable
      catchUpSearch(id, runId);
      // whatever happened above, the run ends: a source is never left running
      boolean whole =
          HarvestRuns.SUCCEEDED.equals(state) && report.count(RunReport.Outcome.refused) == 0;
      try {
        runs.finish(
            runId, state, reason, report, whole && context != null ? context.readState : null);
      } catch (RuntimeException e) {
        LOG.errorf(e, "harvest source %s run %d: saving its report failed", id, runId);
      }
    }
  }

  private void catchUpSearch(String id, long runId) {
    try {
      search.catchUp();
    } catch (RuntimeException e) {
      LOG.errorf(
          e,
          "harvest source %s run %d: indexing what it wrote failed; the next change retries",
          id,
          runId);
    }
  }

  private static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
