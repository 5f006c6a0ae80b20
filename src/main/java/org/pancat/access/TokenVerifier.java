package org.pancat.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Verifies bearer JWTs against the configured issuers with Nimbus JOSE+JWT. The unverified {@code
 * iss} only selects which issuer's keys and rules apply; everything is then checked by that
 * issuer's processor (signature, audience, expiry).
 */
@ApplicationScoped
@Startup // fail fast on bad issuer configuration, and have the dev issuer key ready at boot
public class TokenVerifier {
  private static final Set<JWSAlgorithm> ASYMMETRIC_ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA);

  /** Bounds the verified-token cache; it is emptied when full (tokens are short-lived). */
  static final int CACHE_ENTRIES = 10_000;

  /** A cached verification is reused at most this long, so removed issuer keys take effect. */
  static final Duration CACHE_TTL = Duration.ofMinutes(5);

  private final Map<String, TrustedIssuer> issuers = new HashMap<>();
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();
  private final AccessConfig config;
  private final Clock clock;

  TokenVerifier(AccessConfig config) {
    this.config = config;
    this.clock = Clock.systemUTC();
    config
        .issuers()
        .forEach(
            (name, issuer) ->
                register(
                    issuer.issuer(), issuer.audience(), keySource(name, issuer), issuer.claims()));
    if (config.devIssuer().enabled()) {
      AccessConfig.DevIssuer dev = config.devIssuer();
      register(
          dev.issuer(),
          dev.audience(),
          new ImmutableJWKSet<>(DevIssuer.ensureKey(dev)),
          new DefaultClaims());
    }
  }

  /**
   * Returns who the token speaks for, or throws a 401 problem saying what is wrong with it. A token
   * that verified before is answered from memory until its expiry (at most {@link #CACHE_TTL}):
   * signature checks dominated the cost of small requests. Only successes are remembered.
   */
  public Principal verify(String token) {
    Instant now = clock.instant();
    Verified known = verified.get(token);
    if (known != null && now.isBefore(known.until()) && !now.isBefore(known.from())) {
      return known.principal();
    }
    Verified fresh = verifyNow(token, now);
    if (verified.size() >= CACHE_ENTRIES) {
      verified.clear();
    }
    verified.put(token, fresh);
    return fresh.principal();
  }

  /** A verified token's principal and the instants between which it stays valid. */
  private record Verified(Principal principal, Instant from, Instant until) {}

  private Verified verifyNow(String token, Instant now) {
    SignedJWT jwt;
    String issuerId;
    try {
      jwt = SignedJWT.parse(token);
      issuerId = jwt.getJWTClaimsSet().getIssuer();
    } catch (ParseException e) {
      throw unauthorized("bearer token is not a signed JWT");
    }
    TrustedIssuer issuer = issuerId == null ? null : issuers.get(issuerId);
    if (issuer == null) {
      throw unauthorized("token issuer is not trusted by this node");
    }
    JWTClaimsSet claims;
    try {
      claims = issuer.processor().process(jwt, null);
    } catch (BadJWTException e) {
      throw unauthorized(explainRejectedClaims(jwt, issuer));
    } catch (BadJOSEException e) {
      // Bad signature, unknown key id or disallowed algorithm: all mean "not from this issuer".
      throw unauthorized("token signature does not verify against the issuer's keys");
    } catch (KeySourceException e) {
      throw AuthenticationRefused.issuerUnavailable(
          "the token issuer's keys cannot be retrieved right now");
    } catch (JOSEException e) {
      throw unauthorized("token cannot be verified");
    }
    Principal principal =
        principal(issuerId, claims.getSubject(), issuer.claimNames(), claims::getClaim);
    Duration skew = config.clockSkew();
    Instant expiry = claims.getExpirationTime().toInstant().plus(skew);
    Instant notBefore =
        claims.getNotBeforeTime() == null
            ? Instant.MIN
            : claims.getNotBeforeTime().toInstant().minus(skew);
    Instant until = now.plus(CACHE_TTL).isBefore(expiry) ? now.plus(CACHE_TTL) : expiry;
    return new Verified(principal, notBefore, until);
  }

  /**
   * The principal of a sign-in whose ID token the OpenID provider's code flow has verified: mapped
   * with the claim names of the trusted issuer it came from, exactly as its bearer tokens are.
   * Empty when the token's issuer is not one this node trusts.
   */
  public Optional<Principal> signedIn(String issuerId, String subject, Function<String, ?> claim) {
    TrustedIssuer issuer = issuerId == null ? null : issuers.get(issuerId);
    if (issuer == null || subject == null || subject.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(principal(issuerId, subject, issuer.claimNames(), claim));
  }

  private static Principal principal(
      String issuerId, String subject, AccessConfig.Claims names, Function<String, ?> claim) {
    return new Principal(
        subject,
        issuerId,
        Optional.ofNullable(stringClaim(claim.apply(names.facility()))),
        listClaim(claim.apply(names.groups())),
        listClaim(claim.apply(names.roles())),
        Optional.ofNullable(stringClaim(claim.apply(names.location()))));
  }

  private void register(
      String issuer, String audience, JWKSource<SecurityContext> keys, AccessConfig.Claims claims) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ASYMMETRIC_ALGORITHMS, keys));
    DefaultJWTClaimsVerifier<SecurityContext> verifier =
        new DefaultJWTClaimsVerifier<>(
            Set.of(audience),
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            Set.of("sub", "exp"),
            null);
    verifier.setMaxClockSkew((int) config.clockSkew().toSeconds());
    processor.setJWTClaimsSetVerifier(verifier);
    issuers.put(issuer, new TrustedIssuer(processor, audience, claims));
  }

  private static JWKSource<SecurityContext> keySource(String name, AccessConfig.Issuer issuer) {
    if (issuer.jwksUrl().isPresent() == issuer.jwksFile().isPresent()) {
      throw new IllegalStateException(
          "pancat.access.issuers." + name + ": set exactly one of jwks-url and jwks-file");
    }
    try {
      if (issuer.jwksUrl().isPresent()) {
        return JWKSourceBuilder.create(URI.create(issuer.jwksUrl().get()).toURL())
            .retrying(true)
            .build();
      }
      return new ImmutableJWKSet<>(JWKSet.load(new File(issuer.jwksFile().get())));
    } catch (MalformedURLException e) {
      throw new IllegalStateException("pancat.access.issuers." + name + ".jwks-url is not a URL");
    } catch (IOException | ParseException e) {
      throw new IllegalStateException(
          "pancat.access.issuers." + name + ".jwks-file cannot be read as a JWK set");
    }
  }

  /** Says which claim failed (the signature has verified by then), in words safe to return. */
  private String explainRejectedClaims(SignedJWT jwt, TrustedIssuer issuer) {
    try {
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Instant now = clock.instant();
      long skew = config.clockSkew().toSeconds();
      Date exp = claims.getExpirationTime();
      if (exp == null) {
        return "token has no expiry (exp)";
      }
      if (exp.toInstant().plusSeconds(skew).isBefore(now)) {
        return "token has expired";
      }
      Date nbf = claims.getNotBeforeTime();
      if (nbf != null && nbf.toInstant().minusSeconds(skew).isAfter(now)) {
        return "token is not valid yet";
      }
      List<String> audience = claims.getAudience();
      if (audience == null || !audience.contains(issuer.audience())) {
        return "token audience is not accepted by this node";
      }
      if (claims.getSubject() == null) {
        return "token has no subject (sub)";
      }
    } catch (ParseException e) {
      return "token claims cannot be read";
    }
    return "token was rejected";
  }

  /**
   * A claim's text: a string as Nimbus reads it, or a JSON string as the MicroProfile JWT of a
   * sign-in session holds it ({@code toString} would keep its quotes).
   */
  private static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof jakarta.json.JsonString s) {
      return s.getString();
    }
    return null;
  }

  private static String stringClaim(Object value) {
    String s = text(value);
    return s != null && !s.isBlank() ? s : null;
  }

  private static Set<String> listClaim(Object value) {
    String single = text(value);
    if (single != null) {
      // a space- or comma-separated claim may name one value twice: Set.of would refuse that
      return Stream.of(single.split("[\\s,]+"))
          .filter(v -> !v.isEmpty())
          .collect(Collectors.toUnmodifiableSet());
    }
    if (value instanceof Collection<?> c) {
      return c.stream()
          .map(TokenVerifier::text)
          .filter(s -> s != null && !s.isBlank())
          .collect(Collectors.toUnmodifiableSet());
    }
    return Set.of();
  }

  private static AuthenticationRefused unauthorized(String detail) {
    return AuthenticationRefused.refused(
        detail, "Bearer error=\"invalid_token\", error_description=\"" + detail + "\"");
  }

  private record TrustedIssuer(
      DefaultJWTProcessor<SecurityContext> processor,
      String audience,
      AccessConfig.Claims claimNames) {}

  private static final class DefaultClaims implements AccessConfig.Claims {
    @Override
    public String facility() {
      return "facility";
    }

    @Override
    public String groups() {
      return "groups";
    }

    @Override
    public String roles() {
      return "roles";
    }

    @Override
    public String location() {
      return "location";
    }
  }
}
