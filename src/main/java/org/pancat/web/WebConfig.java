package org.pancat.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The web pages: sign-in providers and page sizes. A provider is named after the trusted issuer it
 * signs users in with ({@code pancat.access.issuers.<name>}): its sessions are mapped with that
 * issuer's claim names, exactly as its bearer tokens are.
 */
@ConfigMapping(prefix = "pancat.web")
public interface WebConfig {

  /**
   * OpenID providers users sign in with, e.g. {@code pancat.web.sign-in.esrf.client-id=pancat-web};
   * {@code esrf} must also be configured as {@code pancat.access.issuers.esrf}.
   */
  Map<String, SignInProvider> signIn();

  /** Hits per search page. */
  @WithDefault("20")
  int pageSize();

  interface SignInProvider {
    /** What the sign-in button says, e.g. "ESRF account"; by default the provider's name. */
    Optional<String> label();

    /** The client registered for this node at the provider (confidential, code flow). */
    String clientId();

    /** That client's secret; from the environment in production. */
    String clientSecret();

    /** Where the provider's discovery document is; by default the issuer itself. */
    Optional<String> authServerUrl();

    /**
     * How long a session lasts past its ID token's expiry, renewed with the refresh token in
     * between; signing out or the provider's session ending stops it earlier.
     */
    @WithDefault("PT8H")
    Duration sessionLifetime();
  }
}
