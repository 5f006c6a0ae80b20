package org.pancat.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.pancat.catalogue.ArtifactKind;
import org.pancat.catalogue.SpdxExpression;
import org.pancat.kernel.Paging;
import org.pancat.problem.ProblemException;
import org.pancat.vocab.Concept;
import org.pancat.vocab.TermUnresolved;
import org.pancat.vocab.Vocabulary;
import org.pancat.vocab.VocabularySnapshot;

/**
 * Turns request parameters into a resolved {@link SearchQuery}, runs it on the {@link SearchIndex},
 * and explains each hit: which concept matched (directly or as a narrower concept of the filter) or
 * which text field.
 */
@ApplicationScoped
public class SearchService {
  /** Parameter, scheme and index field of the concept filters. */
  private static final List<String[]> CONCEPT_FILTERS =
      List.of(
          new String[] {"technique", "techniques", "technique_closure"},
          new String[] {"function", "functions", "function_closure"},
          new String[] {"format", "formats", "format_closure"});

  private static final Set<String> TRUST = Set.of("trusted", "untrusted");
  private static final Set<String> SHARING = Set.of("open", "restricted", "non-shareable");

  private final SearchIndex index;
  private final Vocabulary vocabulary;
  private final ObjectMapper mapper;

  SearchService(SearchIndex index, Vocabulary vocabulary, ObjectMapper mapper) {
    this.index = index;
    this.vocabulary = vocabulary;
    this.mapper = mapper;
  }

  /** The raw request parameters; list-valued parameters may repeat. */
  public record Request(
      String q,
      Map<String, List<String>> concepts,
      List<String> facility,
      List<String> licence,
      List<String> trust,
      List<String> sharing,
      List<String> kind,
      List<String> arch,
      List<String> gpu,
      boolean withdrawn,
      String page,
      String size) {}

  public SearchResult search(Request request) {
    Prepared p = prepare(request);
    VocabularySnapshot vocab = p.vocab();
    String text = p.query().text();
    SearchIndex.Hits hits = index.search(p.query());
    List<SearchResult.SearchHit> items = new ArrayList<>();
    for (SearchIndex.Hit hit : hits.hits()) {
      SoftwareSummary summary = read(hit.summaryJson());
      items.add(
          new SearchResult.SearchHit(
              summary,
              text == null || text.isEmpty() ? null : hit.score(),
              explain(summary, p.conceptFilters(), text, vocab)));
    }
    return new SearchResult(
        items,
        p.query().page(),
        p.query().size(),
        hits.total(),
        facets(hits.facets(), vocab),
        p.resolved().isEmpty() ? null : p.resolved(),
        text == null || text.isEmpty() ? null : interpretations(text, vocab));
  }

  /** Only the ids of the matching software, in order: no facets, summaries or explanations. */
  public List<String> ids(Request request) {
    Prepared p = prepare(request);
    SearchQuery q = p.query();
    return index.ids(
        new SearchQuery(q.text(), q.filters(), q.withdrawn(), q.page(), q.size(), false));
  }

  /** A request with its terms resolved and its parameters checked. */
  private record Prepared(
      SearchQuery query,
      List<SearchResult.ResolvedFilter> resolved,
      Map<String, List<String>> conceptFilters,
      VocabularySnapshot vocab) {}

  private Prepared prepare(Request request) {
    Paging paging = Paging.of(request.page(), request.size());
    VocabularySnapshot vocab = vocabulary.snapshot();
    Map<String, List<String>> filters = new LinkedHashMap<>();
    List<SearchResult.ResolvedFilter> resolved = new ArrayList<>();
    Map<String, List<String>> conceptFilters = new LinkedHashMap<>();
    for (String[] f : CONCEPT_FILTERS) {
      List<String> iris = new ArrayList<>();
      for (String term : request.concepts().getOrDefault(f[0], List.of())) {
        Vocabulary.Resolution r = vocabulary.resolve(f[1], term);
        if (!r.resolved()) {
          throw Vocabulary.unresolved(TermUnresolved.Use.VALUE, f[0], f[1], r);
        }
        iris.add(r.iri());
        resolved.add(new SearchResult.ResolvedFilter(f[0], term, r.iri(), label(vocab, r.iri())));
      }
      if (!iris.isEmpty()) {
        filters.put(f[2], iris);
        conceptFilters.put(f[0], iris);
      }
    }
    keywords(filters, "facility", request.facility(), v -> v.toLowerCase(Locale.ROOT));
    keywords(filters, "licence", request.licence(), SearchService::licence);
    keywords(filters, "trust", request.trust(), v -> oneOf("trust", v, TRUST));
    keywords(filters, "sharing", request.sharing(), v -> oneOf("sharing", v, SHARING));
    keywords(filters, "kind", request.kind(), SearchService::kind);
    keywords(filters, "arch", request.arch(), v -> compute(v, "arch"));
    keywords(filters, "gpu", request.gpu(), v -> compute(v, "gpu"));

    String text = request.q() == null ? null : request.q().strip();
    if (text != null && text.length() > 500) {
      throw ProblemException.invalid("q", "must be at most 500 characters");
    }
    return new Prepared(
        new SearchQuery(text, filters, request.withdrawn(), paging.page(), paging.size(), true),
        resolved,
        conceptFilters,
        vocab);
  }

  private List<SearchResult.MatchReason> explain(
      SoftwareSummary s,
      Map<String, List<String>> conceptFilters,
      String text,
      VocabularySnapshot vocab) {
    List<SearchResult.MatchReason> reasons = new ArrayList<>();
    conceptFilters.forEach(
        (parameter, wanted) -> {
          List<String> tags =
              switch (parameter) {
                case "technique" -> s.techniques();
                case "function" -> s.functions();
                default -> concat(s.inputFormats(), s.outputFormats());
              };
          for (String tag : tags) {
            for (String filter : wanted) {
              if (tag.equals(filter)) {
                reasons.add(new SearchResult.MatchReason(tag, label(vocab, tag), null, "tagged"));
              } else if (vocab.selfAndAncestors(tag).contains(filter)) {
                reasons.add(
                    new SearchResult.MatchReason(
                        tag, label(vocab, tag), null, "narrower of " + label(vocab, filter)));
              }
            }
          }
        });
    if (text != null && !text.isEmpty()) {
      List<String> words =
          List.of(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")).stream()
              .filter(w -> w.length() > 1)
              .toList();
      field(reasons, "name", s.name(), words);
      field(reasons, "description", s.description(), words);
      field(reasons, "keywords", String.join(" ", s.keywords()), words);
      for (String iri : concat(s.techniques(), concat(s.functions(), s.inputFormats()))) {
        vocab
            .concept(iri)
            .filter(c -> words.stream().anyMatch(w -> labels(c).contains(w)))
            .ifPresent(
                c ->
                    reasons.add(
                        new SearchResult.MatchReason(c.iri(), c.prefLabel(), "concepts", "label")));
      }
    }
    return reasons;
  }

  private static void field(
      List<SearchResult.MatchReason> reasons, String field, String value, List<String> words) {
    if (value != null && words.stream().anyMatch(value.toLowerCase(Locale.ROOT)::contains)) {
      reasons.add(new SearchResult.MatchReason(null, null, field, "text"));
    }
  }

  private static String labels(Concept c) {
    return (c.prefLabel() + " " + String.join(" ", c.altLabels())).toLowerCase(Locale.ROOT);
  }

  /** When the whole query is a label of several concepts, list them so a UI can ask. */
  private static List<SearchResult.Interpretation> interpretations(
      String text, VocabularySnapshot vocab) {
    List<Concept> exact = vocab.exact(text, null);
    if (exact.size() < 2) {
      return null;
    }
    return exact.stream()
        .map(
            c ->
                new SearchResult.Interpretation(
                    c.iri(), c.scheme(), c.prefLabel(), parameterOf(c.scheme())))
        .toList();
  }

  private static String parameterOf(String scheme) {
    return switch (scheme) {
      case "techniques" -> "technique";
      case "functions" -> "function";
      case "formats" -> "format";
      case "artifact-kinds" -> "kind";
      default -> "q";
    };
  }

  private Map<String, List<SearchResult.FacetValue>> facets(
      Map<String, List<SearchIndex.FacetCount>> counts, VocabularySnapshot vocab) {
    Map<String, List<SearchResult.FacetValue>> result = new LinkedHashMap<>();
    counts.forEach(
        (dim, values) ->
            result.put(
                dim,
                values.stream()
                    .map(
                        v ->
                            new SearchResult.FacetValue(
                                v.value(),
                                v.count(),
                                dim.equals("technique") ? label(vocab, v.value()) : null))
                    .toList()));
    return result;
  }

  private static String label(VocabularySnapshot vocab, String iri) {
    return vocab.concept(iri).map(Concept::prefLabel).orElse(iri);
  }

  private static void keywords(
      Map<String, List<String>> filters,
      String field,
      List<String> values,
      UnaryOperator<String> normalise) {
    if (values == null || values.isEmpty()) {
      return;
    }
    filters.put(field, values.stream().map(String::strip).map(normalise).distinct().toList());
  }

  private static String licence(String value) {
    return SpdxExpression.singleId(value)
        .orElseThrow(
            () -> ProblemException.invalid("licence", "must be one SPDX licence id or LicenseRef"));
  }

  private static String kind(String value) {
    return ArtifactKind.parse(value)
        .map(ArtifactKind::value)
        .orElseThrow(
            () -> ProblemException.invalid("kind", "must be one of " + ArtifactKind.allowed()));
  }

  private static String oneOf(String parameter, String value, Set<String> allowed) {
    if (!allowed.contains(value)) {
      throw ProblemException.invalid(
          parameter, "must be one of " + allowed.stream().sorted().toList());
    }
    return value;
  }

  /**
   * Architectures and GPU vendors may be given by any label of the compute vocabulary, or by a
   * narrower concept ("CUDA 12" means an NVIDIA GPU); the index holds the concepts' local names.
   */
  private String compute(String value, String parameter) {
    Set<String> allowed =
        parameter.equals("gpu")
            ? Set.of("nvidia", "amd", "intel")
            : Set.of("amd64", "arm64", "ppc64le");
    return vocabulary
        .localNameWithin("compute", value, allowed)
        .orElseGet(() -> oneOf(parameter, value, allowed));
  }

  private SoftwareSummary read(String json) {
    try {
      return mapper.readValue(json, SoftwareSummary.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
