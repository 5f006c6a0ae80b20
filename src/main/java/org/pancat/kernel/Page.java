package org.pancat.kernel;

import java.util.List;

/**
 * One page of a list, the shape of every list endpoint; {@code total} counts all matching items,
 * {@code page} starts at 1.
 */
public record Page<T>(List<T> items, int page, int size, long total) {

  /** The page {@code paging} asks for of a list held whole (small lists: licences, peers). */
  public static <T> Page<T> of(List<T> all, Paging paging) {
    int from = (int) Math.min(all.size(), (long) (paging.page() - 1) * paging.size());
    int to = Math.min(all.size(), from + paging.size());
    return new Page<>(List.copyOf(all.subList(from, to)), paging.page(), paging.size(), all.size());
  }
}
