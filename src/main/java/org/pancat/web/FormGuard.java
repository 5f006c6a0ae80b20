package org.pancat.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import java.net.URI;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import org.pancat.access.Principal;
import org.pancat.kernel.NodeSecret;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/**
 * Cross-site request forgery protection of every form, in one place. A form carries a token that is
 * a keyed hash (the node's secret) of the browser's {@value #COOKIE} cookie and the signed-in
 * principal: another site can neither read that cookie nor compute the hash, and a token of one
 * user's session does not work in another's. A form post must also come from this node's own pages
 * ({@code Sec-Fetch-Site} and {@code Origin}). Quarkus' rest-csrf filter is not used: it checks
 * every unsafe request, JSON API calls too, which answer with problem documents and take no
 * cookies.
 */
@ApplicationScoped
public class FormGuard {
  /** The browser's random form key: {@code HttpOnly}, {@code SameSite=Strict}, {@code Secure}. */
  public static final String COOKIE = "__Host-pancat-form-key";

  /** The hidden field of every form. */
  public static final String FIELD = "csrf";

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final NodeSecret secret;

  FormGuard(NodeSecret secret) {
    this.secret = secret;
  }

  /** A fresh browser key, for a browser that has none (or a malformed one). */
  static String newKey() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }

  static boolean isKey(String value) {
    return value != null && KEY.matcher(value).matches();
  }

  /** The token forms carry for this browser key and principal. */
  String token(String browserKey, Principal principal) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(secret.hmac("form\n" + browserKey + "\n" + principal.actor()));
  }

  /**
   * Refuses a form post (403 problem) that is not from this node's own page for this browser and
   * principal; changes nothing before this has passed.
   */
  void check(Submission form, Principal principal, URI requestUri) {
    String fetchSite = form.fetchSite();
    String origin = form.origin();
    String browserKey = form.browserKey();
    String token = form.token();
    if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
      throw refused("the form was sent from another site");
    }
    if (origin != null && !origin.equals("null") && !sameOrigin(origin, requestUri)) {
      throw refused("the form was sent from another site");
    }
    if (!isKey(browserKey) || token == null) {
      throw refused("the form has expired: reload the page and send it again");
    }
    byte[] expected = token(browserKey, principal).getBytes();
    if (!MessageDigest.isEqual(expected, token.getBytes())) {
      throw refused("the form has expired: reload the page and send it again");
    }
  }

  /** What every form of the pages sends besides its own fields. */
  public record Submission(
      @FormParam(FIELD) String token,
      @CookieParam(COOKIE) String browserKey,
      @HeaderParam("Sec-Fetch-Site") String fetchSite,
      @HeaderParam("Origin") String origin) {}

  /**
   * The host only: behind a proxy that ends TLS the request's scheme and port are not the page's
   * (Sec-Fetch-Site, sent by every current browser, covers the rest).
   */
  private static boolean sameOrigin(String origin, URI request) {
    try {
      String host = URI.create(origin).getHost();
      return host != null && host.equalsIgnoreCase(request.getHost());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static ProblemException refused(String detail) {
    return new ProblemException(ProblemType.FORBIDDEN, detail);
  }
}
