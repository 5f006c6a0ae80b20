package org.pancat.access;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.Cookie;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who a web page's caller is: a sign-in session of one of the facility's OpenID providers (its ID
 * token verified by Quarkus OIDC's code flow), or the development sign-in. Only {@link WebPage}
 * resources read it; the API never reads cookies, so a page session cannot be ridden by another
 * site to call it.
 */
@ApplicationScoped
public class SessionAuthenticator {
  /** Paths of the API, which take bearer tokens (and signed peer requests) only. */
  private static final List<String> API_PATHS = List.of("/api/", "/.well-known/");

  /** Quarkus OIDC's session cookies (and their split parts) start with this. */
  private static final String OIDC_SESSION_COOKIE = "q_session";

  private final Instance<SecurityIdentity> identity;
  private final TokenVerifier verifier;
  private final DevSignIn devSignIn;
  private final AccessConfig config;
  private final HttpServerRequest request;

  SessionAuthenticator(
      HttpServerRequest request,
      Instance<SecurityIdentity> identity,
      TokenVerifier verifier,
      DevSignIn devSignIn,
      AccessConfig config) {
    this.request = request;
    this.identity = identity;
    this.verifier = verifier;
    this.devSignIn = devSignIn;
    this.config = config;
  }

  private void removeSessionCookies(Map<String, Cookie> cookies) {
    cookies.keySet().stream()
        .filter(name -> name.startsWith(OIDC_SESSION_COOKIE))
        .forEach(
            name ->
                request
                    .response()
                    .addCookie(
                        io.vertx.core.http.Cookie.cookie(name, "")
                            .setPath("/")
                            .setMaxAge(0)
                            .setSecure(true)
                            .setHttpOnly(true)));
  }

  /**
   * Whether a request to {@code path} (normalised and decoded, as routing sees it) may be a web
   * page, for code that runs before routing (the sign-in providers' tenant resolution). Requests
   * read sessions only when routed to a {@link WebPage} resource.
   */
  public static boolean mayBePage(String normalisedPath) {
    String path = normalisedPath.toLowerCase(java.util.Locale.ROOT);
    return API_PATHS.stream().noneMatch(path::startsWith);
  }

  /**
   * The signed-in principal, or anonymous. A provider's session counts only when its issuer is one
   * this node trusts for bearer tokens too, and its claims are read with that issuer's claim names.
   */
  Principal principal(Map<String, Cookie> cookies) {
    SecurityIdentity signedIn;
    try {
      signedIn = identity.get();
      signedIn.isAnonymous(); // the session is read here, on first use
    } catch (AuthenticationFailedException expiredOrUnreadable) {
      // a session that no longer decrypts or refreshes: gone, the reader may sign in again
      removeSessionCookies(cookies);
      return Principal.anonymous();
    }
    if (!signedIn.isAnonymous() && signedIn.getPrincipal() instanceof JsonWebToken idToken) {
      return verifier
          .signedIn(idToken.getIssuer(), idToken.getSubject(), idToken::getClaim)
          .orElse(Principal.anonymous());
    }
    Cookie dev = cookies.get(DevSignIn.COOKIE);
    if (dev != null && devSignIn.enabled()) {
      try {
        Principal principal = verifier.verify(dev.getValue());
        if (config.devIssuer().issuer().equals(principal.issuer())) {
          return principal;
        }
      } catch (AuthenticationRefused expiredOrForged) {
        return Principal.anonymous();
      }
    }
    return Principal.anonymous();
  }
}
