package org.pancat.web;

import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.quarkus.oidc.runtime.OidcTenantConfig.Authentication.CookieSameSite;
import io.quarkus.oidc.runtime.OidcTenantConfig.TokenStateManager.Strategy;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.pancat.access.AccessConfig;
import org.pancat.access.SessionAuthenticator;
import org.pancat.kernel.NodeSecret;

/**
 * The facility's OpenID providers as Quarkus OIDC tenants, one per configured provider, built here
 * so that every one gets the same safe settings: authorization-code flow with PKCE (S256) and a
 * nonce, session cookies {@code Secure}, {@code HttpOnly} and {@code SameSite=Lax}, tokens in the
 * cookie encrypted with a key of this node's secret. A request belongs to a provider when it signs
 * in with it ({@code /signin/<name>}) or carries its session cookie; API requests never do.
 */
@ApplicationScoped
@Startup // a provider without a trusted issuer of its name stops the node at boot
public class SignInProviders implements TenantConfigResolver {
  /** Quarkus OIDC names a tenant's session cookie {@code q_session_<tenant id>}. */
  static final String SESSION_COOKIE_PREFIX = "q_session_";

  static final String SIGN_IN_PATH = "/signin/";

  private final Map<String, WebConfig.SignInProvider> providers;
  private final Map<String, String> issuers = new LinkedHashMap<>();
  private final NodeSecret secret;
  private final Map<String, OidcTenantConfig> built = new ConcurrentHashMap<>();

  SignInProviders(WebConfig config, AccessConfig access, NodeSecret secret) {
    this.providers = Map.copyOf(config.signIn());
    this.secret = secret;
    providers
        .keySet()
        .forEach(
            name -> {
              AccessConfig.Issuer issuer = access.issuers().get(name);
              if (issuer == null) {
                throw new IllegalStateException(
                    "pancat.web.sign-in."
                        + name
                        + " needs the trusted issuer pancat.access.issuers."
                        + name
                        + ": sessions are mapped with its claim names");
              }
              issuers.put(name, issuer.issuer());
            });
  }

  /** The providers in a stable order, with their button labels. */
  public List<Provider> list() {
    return providers.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> new Provider(e.getKey(), e.getValue().label().orElse(e.getKey())))
        .toList();
  }

  /**
   * The providers' origins: signing out goes on to a provider's end-session endpoint, a redirect
   * after a form that the pages' content security policy must allow.
   */
  public List<String> origins() {
    return providers.entrySet().stream()
        .map(e -> URI.create(e.getValue().authServerUrl().orElse(issuers.get(e.getKey()))))
        .map(u -> u.getScheme() + "://" + u.getRawAuthority())
        .distinct()
        .sorted()
        .toList();
  }

  public boolean has(String name) {
    return providers.containsKey(name);
  }

  /** A provider as a sign-in page lists it. */
  public record Provider(String name, String label) {}

  /** The tenant id of a provider: prefixed, so that no provider name can be Quarkus' own. */
  static String tenantId(String provider) {
    return "signin-" + provider;
  }

  /**
   * The provider of the session cookie a request carries, if any. A session too large for one
   * cookie comes in parts named {@code q_session_<tenant>_chunk_<n>}.
   */
  Optional<String> sessionOf(Map<String, Cookie> cookies) {
    return providers.keySet().stream()
        .sorted()
        .filter(
            name -> {
              String cookie = SESSION_COOKIE_PREFIX + tenantId(name);
              return cookies.containsKey(cookie) || cookies.containsKey(cookie + "_chunk_1");
            })
        .findFirst();
  }

  @Override
  public Uni<OidcTenantConfig> resolve(
      RoutingContext routing, OidcRequestContext<OidcTenantConfig> request) {
    String path = routing.normalizedPath();
    if (providers.isEmpty() || !SessionAuthenticator.mayBePage(path)) {
      return Uni.createFrom().nullItem();
    }
    Optional<String> provider =
        path.startsWith(SIGN_IN_PATH) && has(path.substring(SIGN_IN_PATH.length()))
            ? Optional.of(path.substring(SIGN_IN_PATH.length()))
            : sessionOf(routing.request().cookieMap());
    if (provider.isEmpty()) {
      return Uni.createFrom().nullItem();
    }
    OidcTenantConfig known = built.get(provider.get());
    if (known != null) {
      return Uni.createFrom().item(known);
    }
    // the node secret is read from the database once: not on the event loop
    return request.runBlocking(() -> built.computeIfAbsent(provider.get(), this::tenant));
  }

  private OidcTenantConfig tenant(String name) {
    WebConfig.SignInProvider p = providers.get(name);
    String issuer = issuers.get(name);
    return OidcTenantConfig.builder()
        .tenantId(tenantId(name))
        .applicationType(ApplicationType.WEB_APP)
        .authServerUrl(p.authServerUrl().orElse(issuer))
        .clientId(p.clientId())
        .credentials(p.clientSecret())
        .token()
        .issuer(issuer)
        .refreshExpired(true)
        .end()
        .authentication()
        .scopes("profile", "email")
        .pkceRequired(true)
        .nonceRequired(true)
        .stateSecret(derivedSecret("oidc-state", name))
        .redirectPath(SIGN_IN_PATH + name)
        .restorePathAfterRedirect(true)
        .removeRedirectParameters(true)
        .cookieForceSecure(true)
        .cookiePath("/")
        .cookieSameSite(CookieSameSite.LAX)
        .sessionAgeExtension(p.sessionLifetime())
        .javaScriptAutoRedirect(false)
        .end()
        .tokenStateManager()
        .strategy(Strategy.ID_REFRESH_TOKENS)
        .encryptionSecret(derivedSecret("oidc-session", name))
        .end()
        .build();
  }

  /** A 64-hex-digit secret of this node for one purpose and provider; the same on every replica. */
  private String derivedSecret(String purpose, String provider) {
    return HexFormat.of().formatHex(secret.hmac(purpose + "\n" + provider));
  }
}
