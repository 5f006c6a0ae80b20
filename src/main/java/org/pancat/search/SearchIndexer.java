package org.pancat.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.pancat.access.Principal;
import org.pancat.catalogue.CatalogueQueries;
import org.pancat.catalogue.SoftwareFacts;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeAppended;
import org.pancat.changelog.ChangeLog;
import org.pancat.kernel.EntityKind;
import org.pancat.kernel.NodeIdentity;
import org.pancat.vocab.Concept;
import org.pancat.vocab.Vocabulary;
import org.pancat.vocab.VocabularyChanged;
import org.pancat.vocab.VocabularySnapshot;

/**
 * Keeps the search index in step with the database, using the change log as its outbox: after every
 * commit (and at start) it applies the changes after the index's cursor, re-reading the affected
 * software from the database. Applying is idempotent, so at-least-once is enough. An index built
 * from another database, or ahead of it, is rebuilt. Local writes are indexed before the writer's
 * request returns; changes imported from peers on a background thread, usually within a second.
 */
@ApplicationScoped
public class SearchIndexer {
  private static final Logger LOG = Logger.getLogger(SearchIndexer.class);
  private static final int BATCH = 500;

  private final ExecutorService background =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "search-catch-up");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicBoolean catchUpQueued = new AtomicBoolean();
  private volatile boolean stopping;
  private final SearchIndex index;
  private final ChangeLog log;
  private final CatalogueQueries catalogue;
  private final Vocabulary vocabulary;
  private final ObjectMapper mapper;
  private final NodeIdentity node;

  SearchIndexer(
      SearchIndex index,
      ChangeLog log,
      CatalogueQueries catalogue,
      Vocabulary vocabulary,
      ObjectMapper mapper,
      NodeIdentity node) {
    this.node = node;
    this.index = index;
    this.log = log;
    this.catalogue = catalogue;
    this.vocabulary = vocabulary;
    this.mapper = mapper;
  }

  /** Result of a rebuild: how many software were indexed, up to which change. */
  public record Rebuilt(int indexed, long seq) {}

  void onStart(@Observes @Priority(20) StartupEvent event) {
    catchUp();
  }

  void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) ChangeAppended event) {
    if (event.seq() <= index.cursor().seq()) {
      // one transaction may append thousands of changes (a federation page): the first catch-up
      // after its commit indexes them all, the other notifications find nothing left to do
      return;
    }
    if (event.origin() == null && !Principal.isHarvester(event.actor())) {
      catchUp(); // a local writer finds its change in search as soon as its request returns
    } else if (catchUpQueued.compareAndSet(false, true)) {
      // imported pages and harvested items are indexed beside the applier or harvest, which goes
      // on to the next page or item: nobody waits for each to be searchable (a harvest of 1000
      // tags spent 40% of its time refreshing the index after each item)
      background.execute(
          () -> {
            catchUpQueued.set(false);
            try {
              catchUp();
            } catch (RuntimeException e) {
              LOG.error("search index catch-up failed; the next change or start retries", e);
            }
          });
    }
  }

  /**
   * Stops the background catch-up before the index closes (this observer runs first): a batch in
   * progress finishes, none starts after, and what is left is caught up on the next start.
   */
  void stop(@Observes @Priority(10) ShutdownEvent event) throws InterruptedException {
    stopping = true;
    background.shutdown();
    if (!background.awaitTermination(30, TimeUnit.SECONDS)) {
      LOG.warn("search index catch-up still running at shutdown; the next start resumes it");
    }
  }

  void afterVocabulary(@Observes(during = TransactionPhase.AFTER_SUCCESS) VocabularyChanged event) {
    rebuild();
  }

  /**
   * Applies every change the index has not seen yet and makes them searchable. Each batch reads the
   * database in its own short transaction, so catching up (or rebuilding) any number of entries
   * never runs into the transaction timeout.
   */
  public synchronized void catchUp() {
    if (stopping) {
      return; // the index is closing; the next start catches up
    }
    String logId = QuarkusTransaction.requiringNew().call(log::logId);
    long head = QuarkusTransaction.requiringNew().call(log::head);
    SearchIndex.Cursor cursor = index.cursor();
    if (!logId.equals(cursor.logId()) || cursor.seq() < 0 || cursor.seq() > head) {
      LOG.infof(
          "search index follows %s at %d, database log is %s at %d: rebuilding",
          cursor.logId(), cursor.seq(), logId, head);
      rebuildFrom(logId, head);
      return;
    }
    long at = cursor.seq();
    while (at < head && !stopping) {
      long after = at;
      List<Change> changes = QuarkusTransaction.requiringNew().call(() -> log.after(after, BATCH));
      if (changes.isEmpty()) {
        break;
      }
      long last = changes.get(changes.size() - 1).seq();
      if (changes.stream().anyMatch(c -> c.is(EntityKind.VOCABULARY_SCHEME))) {
        rebuildFrom(logId, QuarkusTransaction.requiringNew().call(log::head));
        return;
      }
      Set<String> ids = new LinkedHashSet<>();
      changes.forEach(c -> softwareIdOf(c).ifPresent(ids::add));
      write(ids, new SearchIndex.Cursor(logId, last));
      at = last;
    }
    index.refresh();
  }

  /** Drops the index and indexes every software again from the database. */
  public synchronized Rebuilt rebuild() {
    return rebuildFrom(
        QuarkusTransaction.requiringNew().call(log::logId),
        QuarkusTransaction.requiringNew().call(log::head));
  }

  private Rebuilt rebuildFrom(String logId, long head) {
    index.reset(logId);
    int count = 0;
    String after = "";
    while (true) {
      String from = after;
      List<String> ids =
          QuarkusTransaction.requiringNew().call(() -> catalogue.softwareIdsAfter(from, BATCH));
      if (ids.isEmpty()) {
        break;
      }
      write(ids, new SearchIndex.Cursor(logId, head));
      count += ids.size();
      after = ids.get(ids.size() - 1);
    }
    index.apply(List.of(), List.of(), new SearchIndex.Cursor(logId, head));
    index.refresh();
    index.commit();
    LOG.infof("search index rebuilt: %d software up to change %d", count, head);
    return new Rebuilt(count, head);
  }

  private void write(Collection<String> ids, SearchIndex.Cursor cursor) {
    List<IndexedSoftware> upserts = new ArrayList<>();
    List<String> deletions = new ArrayList<>();
    VocabularySnapshot vocab = vocabulary.snapshot();
    Map<String, SoftwareFacts> facts =
        QuarkusTransaction.requiringNew().call(() -> catalogue.facts(ids));
    for (String id : ids) {
      SoftwareFacts f = facts.get(id);
      if (f != null) {
        upserts.add(indexed(f, f.origin() != null ? f.origin() : node.nodeId(), vocab, mapper));
      } else {
        deletions.add(id);
      }
    }
    index.apply(upserts, deletions, cursor);
  }

  private static Optional<String> softwareIdOf(Change change) {
    EntityKind kind = change.kind().orElse(null);
    if (kind == EntityKind.SOFTWARE || kind == EntityKind.RELEASE) {
      return Optional.of(change.id());
    }
    return kind != null && kind.isAboutArtifact()
        ? Optional.ofNullable(change.body().path("software").textValue())
        : Optional.empty();
  }

  /**
   * @param origin the node the software came from (this node's id for local software)
   */
  static IndexedSoftware indexed(
      SoftwareFacts f, String origin, VocabularySnapshot vocab, ObjectMapper mapper) {
    var doc = f.software();
    List<String> techniques = current(doc.techniques(), vocab);
    List<String> functions = current(doc.functions(), vocab);
    List<String> formats = new ArrayList<>(current(doc.inputFormats(), vocab));
    current(doc.outputFormats(), vocab).forEach(formats::add);
    List<String> labels = new ArrayList<>();
    for (String iri : concat(techniques, functions, formats)) {
      vocab.concept(iri).ifPresent(c -> labels.addAll(labelsOf(c)));
    }
    SoftwareSummary summary =
        new SoftwareSummary(
            f.id(),
            f.facility(),
            f.slug(),
            origin,
            doc.name(),
            doc.description(),
            doc.homepage(),
            doc.licence(),
            techniques,
            functions,
            current(doc.inputFormats(), vocab),
            current(doc.outputFormats(), vocab),
            doc.keywords(),
            f.sharing(),
            f.trustClasses(),
            f.trustedSigners(),
            f.kinds(),
            f.architectures(),
            f.gpuVendors(),
            f.versions(),
            f.withdrawn());
    try {
      return new IndexedSoftware(
          f.id(),
          f.facility(),
          doc.name(),
          doc.description(),
          doc.keywords(),
          labels,
          licenceIds(doc.licence()),
          new TreeSet<>(techniques),
          closure(techniques, vocab),
          closure(functions, vocab),
          closure(formats, vocab),
          f.trustClasses(),
          f.sharingClasses(),
          f.kinds(),
          f.architectures(),
          f.gpuVendors(),
          f.withdrawn(),
          mapper.writeValueAsString(summary));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("summary cannot be serialised", e);
    }
  }

  private static List<String> current(List<String> iris, VocabularySnapshot vocab) {
    return iris.stream().map(vocab::current).distinct().toList();
  }

  private static Set<String> closure(List<String> iris, VocabularySnapshot vocab) {
    Set<String> all = new TreeSet<>();
    iris.forEach(i -> all.addAll(vocab.selfAndAncestors(i)));
    return all;
  }

  private static List<String> labelsOf(Concept c) {
    List<String> labels = new ArrayList<>();
    labels.add(c.prefLabel());
    labels.addAll(c.altLabels());
    return labels;
  }

  /** The licence ids an expression mentions, so a filter on MIT finds "MIT OR Apache-2.0". */
  static Set<String> licenceIds(String expression) {
    Set<String> ids = new TreeSet<>();
    boolean exception = false;
    for (String token : expression.replace("(", " ").replace(")", " ").split("\\s+")) {
      if (token.isEmpty() || token.equals("AND") || token.equals("OR")) {
        continue;
      }
      if (token.equals("WITH")) {
        exception = true;
        continue;
      }
      if (!exception) {
        ids.add(token.endsWith("+") ? token.substring(0, token.length() - 1) : token);
      }
      exception = false;
    }
    return ids;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> l : lists) {
      all.addAll(l);
    }
    return all;
  }
}
