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

  /**
   * Whether a URL from a document (a homepage, a licence's terms) may be a link: http(s) only.
   * Local writes are validated so; this also holds for whatever a peer sent.
   */
  static boolean isWebLink(String url) {
    return url != null && url.matches("(?i)https?://[^\\s]+");
  }
}
