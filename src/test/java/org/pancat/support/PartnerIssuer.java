package org.pancat.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A second, real token issuer for the test node: an HTTP server on loopback that publishes an RSA
 * JWKS, configured with non-default claim names, so the JWKS-URL path and claim mapping are
 * exercised end to end.
 */
public class PartnerIssuer implements QuarkusTestResourceLifecycleManager {
  public static final String ISSUER = "https://idp.partner.test/realms/pan";
  private static final AtomicInteger JWKS_FETCHES = new AtomicInteger();
  private static RSAKey key;
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      key = new RSAKeyGenerator(2048).keyID("partner-1").generate();
      byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/jwks.json",
          exchange -> {
            JWKS_FETCHES.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(jwks);
            }
          });
      server.start();
    } catch (IOException | JOSEException e) {
      throw new IllegalStateException(e);
    }
    String prefix = "pancat.access.issuers.partner.";
    return Map.of(
        prefix + "issuer", ISSUER,
        prefix + "jwks-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json",
        prefix + "audience", "pancat-partner",
        prefix + "claims.facility", "home_org",
        prefix + "claims.roles", "pancat_roles",
        prefix + "claims.groups", "memberOf");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  public static int jwksFetches() {
    return JWKS_FETCHES.get();
  }

  /** A partner token using the partner's claim names. */
  public static String token(String subject, String facility, List<String> roles) {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience("pancat-partner")
            .subject(subject)
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
            .claim("home_org", facility)
            .claim("pancat_roles", roles)
            .claim("memberOf", List.of("partner-staff"))
            .build();
    try {
      return Tokens.sign(new RSASSASigner(key), key.getKeyID(), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
