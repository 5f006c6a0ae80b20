package org.pancat.web;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.pancat.access.WebPage;

/**
 * Headers of every page: a content security policy that allows this node's own scripts, styles and
 * forms only (no CDN, nothing inline), no framing, no caching by anyone but the browser (pages show
 * what the signed-in user may see), and the browser's form key when the page made one.
 */
public class PageHeaders {
  private final Instance<PageContext> page;
  private final String contentSecurityPolicy;

  PageHeaders(Instance<PageContext> page, SignInProviders providers) {
    this.page = page;
    this.contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'"
            + providers.origins().stream().map(o -> " " + o).collect(Collectors.joining())
            + "; frame-ancestors 'none'; base-uri 'none'";
  }

  @ServerResponseFilter
  public void headers(ContainerResponseContext response, ResourceInfo resource) {
    if (resource.getResourceClass() == null
        || !resource.getResourceClass().isAnnotationPresent(WebPage.class)
        || !MediaType.TEXT_HTML_TYPE.isCompatible(response.getMediaType())) {
      return;
    }
    MultivaluedMap<String, Object> headers = response.getHeaders();
    headers.putSingle("Content-Security-Policy", contentSecurityPolicy);
    headers.putSingle("X-Content-Type-Options", "nosniff");
    headers.putSingle("Referrer-Policy", "same-origin");
    headers.putSingle("Cache-Control", "private, no-store");
    headers.putSingle("Vary", "Cookie");
    page.get()
        .keyToSet()
        .ifPresent(
            key ->
                headers.add(
                    "Set-Cookie",
                    FormGuard.COOKIE
                        + "="
                        + key
                        + "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=31536000"));
  }
}
