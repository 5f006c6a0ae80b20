package org.pancat.web;

import io.quarkus.qute.TemplateExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Small helpers the page templates call as if they were methods of their values. */
@TemplateExtension
final class TemplateExtensions {
  private TemplateExtensions() {}

  /** The text as one query-parameter value, e.g. a concept IRI in {@code /concepts?iri=}. */
  static String urlEncoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
