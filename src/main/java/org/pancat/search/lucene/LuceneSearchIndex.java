package org.pancat.search.lucene;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.jboss.logging.Logger;
import org.pancat.search.IndexedSoftware;
import org.pancat.search.SearchConfig;
import org.pancat.search.SearchIndex;
import org.pancat.search.SearchQuery;

/**
 * The embedded search index on Apache Lucene, under {@code pancat.search.lucene.directory}. Changes
 * are visible once refreshed (near-real-time reader) and committed, together with the change-log
 * cursor, every {@code commit-interval} and at shutdown.
 */
@ApplicationScoped
public class LuceneSearchIndex implements SearchIndex {
  private static final Logger LOG = Logger.getLogger(LuceneSearchIndex.class);
  private static final String LOG_ID = "pancat.logId";
  private static final String SEQ = "pancat.seq";
  private static final Map<String, Float> TEXT_FIELDS =
      Map.of("name", 4f, "keywords", 2f, "concepts", 2f, "description", 1f);

  private final FacetsConfig facets = new FacetsConfig();
  private final Analyzer analyzer = new EnglishAnalyzer();
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ScheduledExecutorService committer;
  private volatile Cursor cursor;
  private volatile boolean dirty;
  private volatile FacetState facetState;

  public LuceneSearchIndex(SearchConfig config) {
    for (String dim : SearchQuery.FACETS) {
      facets.setMultiValued(dim, true);
    }
    try {
      Path dir = Path.of(config.lucene().directory());
      Files.createDirectories(dir);
      writer =
          new IndexWriter(
              FSDirectory.open(dir),
              new IndexWriterConfig(analyzer)
                  .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
      Map<String, String> data = new HashMap<>();
      writer.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
      cursor = new Cursor(data.get(LOG_ID), Long.parseLong(data.getOrDefault(SEQ, "-1")));
      searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the search index", e);
    }
    long interval = config.lucene().commitInterval().toMillis();
    committer =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "pancat-index-commit"));
    committer.scheduleWithFixedDelay(
        this::commitQuietly, interval, interval, TimeUnit.MILLISECONDS);
  }

  @Override
  public Cursor cursor() {
    return cursor;
  }

  @Override
  public synchronized void apply(
      List<IndexedSoftware> upserts, List<String> deletions, Cursor next) {
    try {
      for (IndexedSoftware s : upserts) {
        writer.updateDocument(new Term("id", s.id()), facets.build(document(s)));
      }
      for (String id : deletions) {
        writer.deleteDocuments(new Term("id", id));
      }
      cursor = next;
      dirty = true;
    } catch (IOException e) {
      throw new UncheckedIOException("search index write failed", e);
    }
  }

  @Override
  public void refresh() {
    try {
      // each refresh writes a segment: once per catch-up, not per batch, keeps merging down
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException("search index refresh failed", e);
    }
  }

  @Override
  public synchronized void reset(String logId) {
    try {
      writer.deleteAll();
      cursor = new Cursor(logId, 0);
      dirty = true;
    } catch (IOException e) {
      throw new UncheckedIOException("search index reset failed", e);
    }
  }

  @Override
  public Hits search(SearchQuery query) {
    return withSearcher(
        searcher -> {
          Query q = build(query);
          TopFieldDocs top = top(searcher, q, query);
          ScoreDoc[] docs = top.scoreDocs;
          List<Hit> hits = new ArrayList<>();
          int wanted = query.page() * query.size();
          for (int i = (query.page() - 1) * query.size(); i < Math.min(docs.length, wanted); i++) {
            Document d = searcher.storedFields().document(docs[i].doc);
            hits.add(new Hit(d.get("id"), score(docs[i], query), d.get("summary")));
          }
          if (!query.facets()) {
            return new Hits(hits, top.totalHits.value, Map.of());
          }
          FacetsCollector collector = searcher.search(q, new FacetsCollectorManager());
          long total = collector.getMatchingDocs().stream().mapToLong(m -> m.totalHits).sum();
          return new Hits(hits, total, facetCounts(searcher.getIndexReader(), collector));
        });
  }

  @Override
  public List<String> ids(SearchQuery query) {
    return withSearcher(
        searcher -> {
          Query q = build(query);
          // the (score, id) order of search pages: ties at the cut-off go by id, not by index
          // order, so a rebuilt index gives the same ids for the same catalogue. (Relevance alone
          // lets block-max WAND skip more, but decides ties by document number.)
          ScoreDoc[] docs = top(searcher, q, query).scoreDocs;
          List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
          List<String> ids = new ArrayList<>();
          for (int i = (query.page() - 1) * query.size(); i < docs.length; i++) {
            // the id from doc values: no stored-field block to decompress per hit
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docs[i].doc, leaves));
            SortedDocValues values = DocValues.getSorted(leaf.reader(), "id_sort");
            if (values.advanceExact(docs[i].doc - leaf.docBase)) {
              ids.add(values.lookupOrd(values.ordValue()).utf8ToString());
            }
          }
          return ids;
        });
  }

  /**
   * The first page*size hits in order. Counting stops once they are known (facets count exactly
   * when asked for), which lets Lucene skip blocks that cannot make the top.
   */
  private static TopFieldDocs top(IndexSearcher searcher, Query q, SearchQuery query)
      throws IOException {
    int wanted = Math.max(query.page() * query.size(), 1);
    Sort sort =
        relevance(query)
            ? new Sort(SortField.FIELD_SCORE, new SortField("id_sort", SortField.Type.STRING))
            : new Sort(new SortField("id_sort", SortField.Type.STRING));
    return searcher.search(q, new TopFieldCollectorManager(sort, wanted, null, wanted));
  }

  private static boolean relevance(SearchQuery query) {
    return query.text() != null && !query.text().isBlank();
  }

  private static float score(ScoreDoc doc, SearchQuery query) {
    return relevance(query) ? (Float) ((FieldDoc) doc).fields[0] : 0f;
  }

  private interface SearcherWork<T> {
    T run(IndexSearcher searcher) throws IOException;
  }

  private <T> T withSearcher(SearcherWork<T> work) {
    IndexSearcher searcher;
    try {
      searcher = searchers.acquire();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return work.run(searcher);
    } catch (IOException e) {
      throw new UncheckedIOException("search failed", e);
    } finally {
      try {
        searchers.release(searcher);
      } catch (IOException e) {
        LOG.warn("cannot release index searcher", e);
      }
    }
  }

  @Override
  public synchronized void commit() {
    if (!dirty) {
      return;
    }
    try {
      Map<String, String> data = new LinkedHashMap<>();
      if (cursor.logId() != null) {
        data.put(LOG_ID, cursor.logId());
      }
      data.put(SEQ, Long.toString(cursor.seq()));
      writer.setLiveCommitData(data.entrySet());
      writer.commit();
      dirty = false;
    } catch (IOException e) {
      throw new UncheckedIOException("search index commit failed", e);
    }
  }

  void shutdown(@Observes ShutdownEvent event) {
    committer.shutdownNow();
    commitQuietly();
    try {
      searchers.close();
      writer.close();
    } catch (IOException e) {
      LOG.warn("search index did not close cleanly; it is repaired from the change log", e);
    }
  }

  private void commitQuietly() {
    try {
      commit();
    } catch (RuntimeException e) {
      LOG.warn("search index commit failed; will retry", e);
    }
  }

  private Document document(IndexedSoftware s) {
    Document d = new Document();
    d.add(new StringField("id", s.id(), Field.Store.YES));
    d.add(new SortedDocValuesField("id_sort", new BytesRef(s.id())));
    d.add(new TextField("name", s.name(), Field.Store.NO));
    if (s.description() != null) {
      d.add(new TextField("description", s.description(), Field.Store.NO));
    }
    s.keywords().forEach(k -> d.add(new TextField("keywords", k, Field.Store.NO)));
    s.conceptLabels().forEach(l -> d.add(new TextField("concepts", l, Field.Store.NO)));
    keyword(d, "facility", List.of(s.facility()), true);
    keyword(d, "licence", s.licenceIds(), true);
    keyword(d, "technique", s.techniques(), true);
    keyword(d, "technique_closure", s.techniqueClosure(), false);
    keyword(d, "function_closure", s.functionClosure(), false);
    keyword(d, "format_closure", s.formatClosure(), false);
    keyword(d, "trust", s.trust(), true);
    keyword(d, "sharing", s.sharing(), true);
    keyword(d, "kind", s.kinds(), true);
    keyword(d, "arch", s.architectures(), true);
    keyword(d, "gpu", s.gpuVendors(), true);
    d.add(new StringField("withdrawn", Boolean.toString(s.withdrawn()), Field.Store.NO));
    d.add(new StoredField("summary", s.summaryJson()));
    return d;
  }

  private static void keyword(Document d, String field, Collection<String> values, boolean facet) {
    for (String v : values) {
      d.add(new StringField(field, v, Field.Store.NO));
      if (facet) {
        d.add(new SortedSetDocValuesFacetField(field, v));
      }
    }
  }

  private Query build(SearchQuery query) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    if (query.text() != null && !query.text().isBlank()) {
      MultiFieldQueryParser parser =
          new MultiFieldQueryParser(
              TEXT_FIELDS.keySet().toArray(String[]::new), analyzer, TEXT_FIELDS);
      parser.setDefaultOperator(QueryParser.Operator.AND);
      try {
        b.add(parser.parse(QueryParser.escape(query.text())), BooleanClause.Occur.MUST);
      } catch (ParseException e) {
        // escaped input always parses; a stop-word-only query matches nothing
        b.add(new BooleanQuery.Builder().build(), BooleanClause.Occur.MUST);
      }
    } else {
      b.add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
    }
    for (Map.Entry<String, List<String>> filter : query.filters().entrySet()) {
      BooleanQuery.Builder any = new BooleanQuery.Builder();
      filter
          .getValue()
          .forEach(
              v ->
                  any.add(new TermQuery(new Term(filter.getKey(), v)), BooleanClause.Occur.SHOULD));
      b.add(any.build(), BooleanClause.Occur.FILTER);
    }
    if (!query.withdrawn()) {
      b.add(new TermQuery(new Term("withdrawn", "false")), BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  private Map<String, List<FacetCount>> facetCounts(IndexReader reader, FacetsCollector collector)
      throws IOException {
    Map<String, List<FacetCount>> result = new LinkedHashMap<>();
    if (collector.getMatchingDocs().isEmpty() || reader.maxDoc() == 0) {
      SearchQuery.FACETS.forEach(dim -> result.put(dim, List.of()));
      return result;
    }
    SortedSetDocValuesReaderState state = facetState(reader);
    SortedSetDocValuesFacetCounts counts = new SortedSetDocValuesFacetCounts(state, collector);
    for (String dim : SearchQuery.FACETS) {
      List<FacetCount> values = new ArrayList<>();
      try {
        FacetResult top = counts.getTopChildren(50, dim);
        if (top != null) {
          for (LabelAndValue lv : top.labelValues) {
            values.add(new FacetCount(lv.label, lv.value.longValue()));
          }
        }
      } catch (IllegalArgumentException e) {
        // no document has a value for this dimension yet
      }
      result.put(dim, values);
    }
    return result;
  }

  /** Facet ordinals are computed once per index reader, not per query. */
  private SortedSetDocValuesReaderState facetState(IndexReader reader) throws IOException {
    FacetState current = facetState;
    if (current == null || current.reader != reader) {
      current = new FacetState(reader, new DefaultSortedSetDocValuesReaderState(reader, facets));
      facetState = current;
    }
    return current.state;
  }

  private record FacetState(IndexReader reader, SortedSetDocValuesReaderState state) {}
}
