package org.pancat.catalogue;

/** Field patterns shared by the request documents. */
final class Patterns {
  static final String HTTP_URL = "https?://[^\\s]+";
  static final String HTTP_URL_MESSAGE = "must be an http(s) URL";
  static final String TERM = "[^\\x00-\\x1F\\x7F]{1,300}";
  static final String KEYWORD = "[^\\x00-\\x1F\\x7F]{1,100}";
  static final String NO_CONTROL = "[^\\x00-\\x1F\\x7F]*";

  private Patterns() {}
}
