package org.pancat.kernel;

/** The {@code page} and {@code size} query parameters of every list endpoint. */
public record Paging(int page, int size) {
  public static final int DEFAULT_SIZE = 20;
  public static final int MAX_SIZE = 100;

  /** So that the first item's position, (page - 1) * size, fits an int. */
  public static final int MAX_PAGE = Integer.MAX_VALUE / MAX_SIZE;

  /** Parses the raw parameters so a non-number is a 400 naming the parameter (not a 404). */
  public static Paging of(String page, String size) {
    return new Paging(
        (int) QueryParams.number("page", page, 1, 1, MAX_PAGE),
        (int) QueryParams.number("size", size, DEFAULT_SIZE, 1, MAX_SIZE));
  }
}
