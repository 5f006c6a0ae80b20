package org.pancat.web;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pancat.problem.ProblemException;
import org.pancat.search.SearchResult;
import org.pancat.search.SearchService;
import org.pancat.search.SoftwareSummary;
import org.pancat.vocab.Concept;
import org.pancat.vocab.TermUnresolved;
import org.pancat.vocab.Vocabulary;
import org.pancat.vocab.VocabularySnapshot;

/**
 * The search page's content: the search API's answer for the page's state, arranged for people:
 * facets with counts (techniques as a tree under their broader terms), the meanings to choose from
 * when a term is ambiguous, and for each hit why it matched.
 */
@ApplicationScoped
public class SearchPage {
  private static final Map<String, String> FACET_LABELS =
      linked(
          "technique", "Technique",
          "facility", "Facility",
          "licence", "Licence",
          "trust", "Trust",
          "sharing", "Sharing",
          "kind", "Kind",
          "arch", "Architecture",
          "gpu", "GPU");

  private final SearchService search;
  private final Vocabulary vocabulary;
  private final WebConfig config;

  SearchPage(SearchService search, Vocabulary vocabulary, WebConfig config) {
    this.search = search;
    this.vocabulary = vocabulary;
    this.config = config;
  }

  /** The page for a state; a bad or ambiguous parameter is shown on the page, not thrown. */
  public View view(SearchState state) {
    VocabularySnapshot vocab = vocabulary.snapshot();
    try {
      SearchResult result = search.search(request(state));
      List<Meaning> meanings =
          result.interpretations() == null
              ? List.of()
              : result.interpretations().stream()
                  .map(
                      i ->
                          new Meaning(
                              i.label(),
                              schemeNoun(i.scheme()),
                              definition(vocab, i.concept()),
                              i.parameter().equals("q")
                                  ? state.link()
                                  : state.choose(i.parameter(), i.concept(), null)))
                  .toList();
      Set<String> chosen = new HashSet<>();
      List<Chip> chips = new ArrayList<>();
      if (result.filters() != null) {
        for (SearchResult.ResolvedFilter f : result.filters()) {
          chosen.add(f.concept());
          chips.add(
              new Chip(
                  FACET_LABELS.getOrDefault(f.parameter(), f.parameter()),
                  f.label(),
                  state.toggle(f.parameter(), f.term())));
        }
      }
      for (String name : SearchState.FILTERS) {
        if (!List.of("technique", "function", "format").contains(name)) {
          for (String v : state.all(name)) {
            chips.add(new Chip(FACET_LABELS.getOrDefault(name, name), v, state.toggle(name, v)));
          }
        }
      }
      return new View(
          state,
          hits(result, vocab),
          result.total(),
          facets(result, state, chosen, vocab),
          meanings,
          meanings.isEmpty() ? null : state.q(),
          chips,
          null,
          pages(state, result));
    } catch (TermUnresolved e) {
      Vocabulary.Resolution r = e.resolution();
      List<Meaning> meanings =
          r.candidates().stream()
              .map(
                  c ->
                      new Meaning(
                          c.prefLabel(),
                          schemeNoun(c.scheme()),
                          c.definition(),
                          state.replace(e.field(), r.term(), c.iri())))
              .toList();
      String problem =
          r.ambiguous()
              ? null
              : "There is no "
                  + e.field()
                  + " called “"
                  + r.term()
                  + "”"
                  + (meanings.isEmpty() ? "." : "; did you mean one of these?");
      return View.failed(state, meanings, r.term(), problem);
    } catch (ProblemException e) {
      return View.failed(state, List.of(), null, e.getMessage());
    }
  }

  private SearchService.Request request(SearchState s) {
    return new SearchService.Request(
        s.q(),
        Map.of(
            "technique",
            s.all("technique"),
            "function",
            s.all("function"),
            "format",
            s.all("format")),
        s.all("facility"),
        s.all("licence"),
        s.all("trust"),
        s.all("sharing"),
        s.all("kind"),
        s.all("arch"),
        s.all("gpu"),
        false,
        s.first("page"),
        Integer.toString(config.pageSize()));
  }

  private static List<Hit> hits(SearchResult result, VocabularySnapshot vocab) {
    return result.items().stream()
        .map(
            h ->
                new Hit(
                    h.software(),
                    "/software/" + h.software().facility() + "/" + h.software().slug(),
                    h.software().techniques().stream().map(t -> label(vocab, t)).toList(),
                    h.matched() == null ? List.of() : why(h.matched())))
        .toList();
  }

  private static List<String> why(List<SearchResult.MatchReason> reasons) {
    List<String> why = new ArrayList<>();
    for (SearchResult.MatchReason r : reasons) {
      String text =
          switch (r.via()) {
            case "tagged" -> "tagged " + r.label();
            case "text" -> r.field() + " matches the text";
            case "label" -> "the text names " + r.label();
            default -> r.label() + ", " + r.via();
          };
      if (!why.contains(text)) {
        why.add(text);
      }
    }
    return why;
  }

  private static List<FacetGroup> facets(
      SearchResult result, SearchState state, Set<String> chosen, VocabularySnapshot vocab) {
    List<FacetGroup> groups = new ArrayList<>();
    FACET_LABELS.forEach(
        (name, label) -> {
          List<SearchResult.FacetValue> values =
              result.facets() == null ? null : result.facets().get(name);
          if (values == null || values.isEmpty()) {
            return;
          }
          List<FacetEntry> entries =
              name.equals("technique")
                  ? techniqueTree(values, state, chosen, vocab)
                  : values.stream()
                      .map(
                          v ->
                              new FacetEntry(
                                  v.value(),
                                  v.count(),
                                  state.toggle(name, v.value()),
                                  state.has(name, v.value()),
                                  List.of()))
                      .toList();
          groups.add(new FacetGroup(name, label, entries));
        });
    return groups;
  }

  /** Each technique under the nearest of its broader terms that is a facet value too. */
  private static List<FacetEntry> techniqueTree(
      List<SearchResult.FacetValue> values,
      SearchState state,
      Set<String> chosen,
      VocabularySnapshot vocab) {
    Map<String, SearchResult.FacetValue> byIri = new LinkedHashMap<>();
    values.forEach(v -> byIri.put(v.value(), v));
    Map<String, List<String>> children = new LinkedHashMap<>();
    List<String> roots = new ArrayList<>();
    for (String iri : byIri.keySet()) {
      String parent = null;
      int depth = -1;
      for (String ancestor : vocab.selfAndAncestors(iri)) {
        if (!ancestor.equals(iri) && byIri.containsKey(ancestor)) {
          int d = vocab.selfAndAncestors(ancestor).size();
          if (d > depth) {
            depth = d;
            parent = ancestor;
          }
        }
      }
      if (parent == null) {
        roots.add(iri);
      } else {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(iri);
      }
    }
    return entries(roots, byIri, children, state, chosen, vocab);
  }

  private static List<FacetEntry> entries(
      List<String> iris,
      Map<String, SearchResult.FacetValue> byIri,
      Map<String, List<String>> children,
      SearchState state,
      Set<String> chosen,
      VocabularySnapshot vocab) {
    return iris.stream()
        .map(byIri::get)
        .sorted(
            Comparator.comparingLong(SearchResult.FacetValue::count)
                .reversed()
                .thenComparing(v -> label(vocab, v.value())))
        .map(
            v ->
                new FacetEntry(
                    label(vocab, v.value()),
                    v.count(),
                    chosen.contains(v.value())
                        ? state.link()
                        : state.toggle("technique", v.value()),
                    chosen.contains(v.value()),
                    entries(
                        children.getOrDefault(v.value(), List.of()),
                        byIri,
                        children,
                        state,
                        chosen,
                        vocab)))
        .toList();
  }

  private static List<PageLink> pages(SearchState state, SearchResult result) {
    long last = Math.max(1, (result.total() + result.size() - 1) / result.size());
    if (last == 1) {
      return List.of();
    }
    List<PageLink> links = new ArrayList<>();
    int current = result.page();
    if (current > 1) {
      links.add(new PageLink("Previous", state.page(current - 1), false));
    }
    for (long p = Math.max(1, current - 3); p <= Math.min(last, current + 3); p++) {
      links.add(new PageLink(Long.toString(p), state.page((int) p), p == current));
    }
    if (current < last) {
      links.add(new PageLink("Next", state.page(current + 1), false));
    }
    return links;
  }

  private static String label(VocabularySnapshot vocab, String iri) {
    return vocab.concept(iri).map(Concept::prefLabel).orElse(iri);
  }

  private static String definition(VocabularySnapshot vocab, String iri) {
    return vocab.concept(iri).map(Concept::definition).orElse(null);
  }

  private static String schemeNoun(String scheme) {
    return switch (scheme) {
      case "techniques" -> "technique";
      case "functions" -> "function";
      case "formats" -> "format";
      case "artifact-kinds" -> "artifact kind";
      case "compute" -> "compute capability";
      default -> scheme;
    };
  }

  private static Map<String, String> linked(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /** The search page. */
  public record View(
      SearchState state,
      List<Hit> hits,
      long total,
      List<FacetGroup> facets,
      List<Meaning> meanings,
      String ambiguousTerm,
      List<Chip> chips,
      String problem,
      List<PageLink> pages) {
    static View failed(SearchState state, List<Meaning> meanings, String term, String problem) {
      return new View(
          state, List.of(), 0, List.of(), meanings, term, List.of(), problem, List.of());
    }

    public boolean searched() {
      return !state.isEmpty();
    }
  }

  /** A hit as a result card shows it. */
  public record Hit(
      SoftwareSummary software, String link, List<String> techniques, List<String> why) {}

  public record FacetGroup(String name, String label, List<FacetEntry> entries) {}

  public record FacetEntry(
      String label, long count, String link, boolean active, List<FacetEntry> children) {}

  /** One meaning of an ambiguous term, and the search with it chosen. */
  public record Meaning(String label, String scheme, String definition, String link) {}

  /** An active filter and the search without it. */
  public record Chip(String facet, String label, String removeLink) {}

  public record PageLink(String label, String link, boolean current) {}
}
