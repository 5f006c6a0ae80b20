package org.pancat.access;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Authentication: which token issuers this node trusts, and the optional embedded dev issuer. */
@ConfigMapping(prefix = "pancat.access")
public interface AccessConfig {

  /** Trusted issuers by a short local name, e.g. {@code pancat.access.issuers.esrf.issuer=...}. */
  Map<String, Issuer> issuers();

  /** Allowed clock difference when checking exp/nbf. */
  @WithDefault("60s")
  Duration clockSkew();

  DevIssuer devIssuer();

  interface Issuer {
    /** Exact {@code iss} claim value. */
    String issuer();

    /** JWKS document URL (fetched and cached, refreshed on unknown key ids). */
    Optional<String> jwksUrl();

    /** JWKS document on disk, for offline issuers. */
    Optional<String> jwksFile();

    /** Required {@code aud} value. */
    String audience();

    Claims claims();
  }

  interface Claims {
    @WithDefault("facility")
    String facility();

    @WithDefault("groups")
    String groups();

    @WithDefault("roles")
    String roles();

    /** Where the user is (site, campus network), for restricted artifacts tied to a location. */
    @WithDefault("location")
    String location();
  }

  /**
   * A local issuer for the embedded setup: its key is generated into {@code key-dir} and tokens are
   * minted with {@code java deploy/MintToken.java}. Off unless enabled.
   */
  interface DevIssuer {
    @WithDefault("false")
    boolean enabled();

    @WithDefault("pancat-dev")
    String issuer();

    @WithDefault("pancat")
    String audience();

    @WithDefault("./data/dev-issuer")
    String keyDir();

    /**
     * The development sign-in of the web pages (pick a subject, facility and roles, no password).
     * It needs the dev issuer enabled and the node bound to loopback only ({@code
     * quarkus.http.host=127.0.0.1}): a node that is reachable from elsewhere refuses to start with
     * it, and it takes only requests from loopback that came through no proxy.
     */
    @WithDefault("false")
    boolean signIn();

    /** How long a development sign-in lasts. */
    @WithDefault("PT8H")
    Duration sessionLifetime();
  }
}
