package org.pancat.catalogue;

/** Field patterns shared by the request documents. */
final class Patterns {
  static final String HTTP_URL = "https?://[^\\s]+";
  static final String HTTP_URL_MESSAGE = "must be an http(s) URL";
  static final String TERM = "[^\\p{Cntrl}]{1,300}";
  static final String KEYWORD = "[^\\p{Cntrl}]{1,100}";
  static final String NO_CONTROL = "[^\\p{Cntrl}]*";

  private Patterns() {}
}
