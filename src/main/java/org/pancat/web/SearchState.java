package org.pancat.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A search page's state as its query parameters, the same as the search API's: every state is a
 * link one can share, and every facet or page link is this state with one thing changed.
 */
public record SearchState(Map<String, List<String>> params) {
  /** The filter parameters, in the order the page lists them. */
  static final List<String> FILTERS =
      List.of(
          "technique",
          "function",
          "format",
          "facility",
          "licence",
          "trust",
          "sharing",
          "kind",
          "arch",
          "gpu");

  /** More values of one parameter than a person picks; the rest are left out. */
  static final int MOST_VALUES = 20;

  public SearchState {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    params.forEach(
        (k, v) -> {
          List<String> values =
              v.stream()
                  .filter(s -> s != null && !s.isBlank())
                  .distinct()
                  .limit(MOST_VALUES)
                  .toList();
          if (!values.isEmpty()) {
            copy.put(k, List.copyOf(values));
          }
        });
    params = Map.copyOf(copy);
  }

  public String q() {
    return first("q");
  }

  String first(String name) {
    List<String> values = params.getOrDefault(name, List.of());
    return values.isEmpty() ? null : values.get(0);
  }

  List<String> all(String name) {
    return params.getOrDefault(name, List.of());
  }

  public boolean has(String name, String value) {
    return all(name).contains(value);
  }

  public boolean isEmpty() {
    return params.keySet().stream().noneMatch(k -> k.equals("q") || FILTERS.contains(k));
  }

  /** This state with {@code value} added to or taken from {@code name}, back on page 1. */
  public String toggle(String name, String value) {
    Map<String, List<String>> next = new LinkedHashMap<>(params);
    List<String> values = new ArrayList<>(all(name));
    if (!values.remove(value)) {
      values.add(value);
    }
    next.put(name, values);
    next.remove("page");
    return link(next);
  }

  /** This state with {@code name} set to just {@code value} and the query text replaced. */
  public String choose(String name, String value, String q) {
    Map<String, List<String>> next = new LinkedHashMap<>(params);
    next.put(name, List.of(value));
    next.put("q", q == null ? List.of() : List.of(q));
    next.remove("page");
    return link(next);
  }

  /** This state with one value of {@code name} replaced (an ambiguous term by the meaning). */
  public String replace(String name, String value, String replacement) {
    Map<String, List<String>> next = new LinkedHashMap<>(params);
    next.put(name, all(name).stream().map(v -> v.equals(value) ? replacement : v).toList());
    next.remove("page");
    return link(next);
  }

  /** The filters as hidden fields, so a new text search keeps them. */
  public List<Map.Entry<String, String>> hiddenFilters() {
    return FILTERS.stream()
        .flatMap(name -> all(name).stream().map(v -> Map.entry(name, v)))
        .toList();
  }

  public String page(int page) {
    Map<String, List<String>> next = new LinkedHashMap<>(params);
    next.put("page", List.of(Integer.toString(page)));
    return link(next);
  }

  public String link() {
    return link(params);
  }

  private static String link(Map<String, List<String>> params) {
    List<String> order = new ArrayList<>(List.of("q"));
    order.addAll(FILTERS);
    order.add("page");
    String query =
        order.stream()
            .flatMap(
                name ->
                    params.getOrDefault(name, List.of()).stream()
                        .filter(v -> v != null && !v.isBlank())
                        .map(v -> encode(name) + "=" + encode(v)))
            .collect(Collectors.joining("&"));
    return query.isEmpty() ? "/" : "/?" + query;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
