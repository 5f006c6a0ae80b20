package org.pancat.web;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.pancat.access.CurrentPrincipal;
import org.pancat.access.DevSignIn;
import org.pancat.access.Principal;

/**
 * What every page shows around its content: who is signed in, the form token of this browser, the
 * way to sign in and back. The browser's form key is made here when it has none, and {@link
 * PageHeaders} sets it on the response.
 */
@RequestScoped
public class PageContext {
  private final Principal principal;
  private final HttpServerRequest request;
  private final SignInProviders providers;
  private final DevSignIn devSignIn;
  private final FormGuard guard;
  private final Instance<SecurityIdentity> identity;
  private String browserKey;
  private boolean newKey;

  PageContext(
      CurrentPrincipal current,
      HttpServerRequest request,
      SignInProviders providers,
      DevSignIn devSignIn,
      FormGuard guard,
      Instance<SecurityIdentity> identity) {
    this.principal = current.get();
    this.identity = identity;
    this.request = request;
    this.providers = providers;
    this.devSignIn = devSignIn;
    this.guard = guard;
  }

  public Principal principal() {
    return principal;
  }

  public boolean signedIn() {
    return !principal.isAnonymous();
  }

  public boolean admin() {
    return principal.isAdmin();
  }

  /**
   * Who is signed in, as the header says it: the provider's user name (the subject is often an
   * opaque id there) and the facility.
   */
  public String who() {
    String name = principal.subject();
    if (identity.isResolvable() && identity.get().getPrincipal() instanceof JsonWebToken idToken) {
      Object username = idToken.getClaim("preferred_username");
      if (username instanceof jakarta.json.JsonString s) {
        name = s.getString();
      } else if (username instanceof String s) {
        name = s;
      }
    }
    return name + principal.facility().map(f -> " (" + f + ")").orElse("");
  }

  /** The hidden-field value of this page's forms. */
  public String formToken() {
    return guard.token(browserKey(), principal);
  }

  public String formField() {
    return FormGuard.FIELD;
  }

  /** This page's path and query, for coming back to it after signing in or a form. */
  public String here() {
    String query = request.query();
    return request.path() + (query == null || query.isEmpty() ? "" : "?" + query);
  }

  /** The sign-in page, returning here. */
  public String signInLink() {
    return "/signin?next=" + URLEncoder.encode(here(), StandardCharsets.UTF_8);
  }

  public List<SignInProviders.Provider> providers() {
    return providers.list();
  }

  public boolean devSignIn() {
    return devSignIn.enabled();
  }

  String browserKey() {
    if (browserKey == null) {
      Cookie cookie = request.getCookie(FormGuard.COOKIE);
      Optional<String> sent = Optional.ofNullable(cookie).map(Cookie::getValue);
      if (sent.filter(FormGuard::isKey).isPresent()) {
        browserKey = sent.get();
      } else {
        browserKey = FormGuard.newKey();
        newKey = true;
      }
    }
    return browserKey;
  }

  /** The form key to set on the response, when this page made one. */
  Optional<String> keyToSet() {
    return newKey ? Optional.of(browserKey) : Optional.empty();
  }
}
