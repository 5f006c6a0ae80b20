package org.pancat.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Mints tokens for tests: valid ones from the node's dev issuer (whose key the node generated under
 * target/test-dev-issuer), and every kind of bad one.
 */
public final class Tokens {
  private static final Path KEY_DIR = Path.of("target/test-dev-issuer");

  private Tokens() {}

  public static String publisher(String facility) {
    return dev("pub-" + facility, facility, List.of("publisher"), List.of(), Duration.ofHours(1));
  }

  public static String admin() {
    return dev("root", null, List.of("admin"), List.of(), Duration.ofHours(1));
  }

  /** A peer node's service account. */
  public static String peer(String node) {
    return dev("node-" + node, null, List.of("peer"), List.of(), Duration.ofHours(1));
  }

  /** An authenticated user of a facility with no roles. */
  public static String user(String subject, String facility, List<String> groups) {
    return dev(subject, facility, List.of(), groups, Duration.ofHours(1));
  }

  public static String expiredPublisher(String facility) {
    return dev("pub-" + facility, facility, List.of("publisher"), List.of(), Duration.ofHours(-2));
  }

  /** Right issuer and key id, but signed with a key the issuer never had. */
  public static String forgedAdmin() {
    Properties issuer = issuer();
    try {
      ECKey other = new ECKeyGenerator(Curve.P_256).keyID(issuer.getProperty("kid")).generate();
      return sign(
          new ECDSASigner(other),
          issuer.getProperty("kid"),
          claims(
              issuer.getProperty("issuer"),
              issuer.getProperty("audience"),
              "root",
              null,
              List.of("admin"),
              List.of(),
              Duration.ofHours(1)));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String withIssuer(String iss) {
    Properties issuer = issuer();
    return sign(
        devSigner(),
        issuer.getProperty("kid"),
        claims(
            iss,
            issuer.getProperty("audience"),
            "root",
            null,
            List.of("admin"),
            List.of(),
            Duration.ofHours(1)));
  }

  public static String withAudience(String audience) {
    Properties issuer = issuer();
    return sign(
        devSigner(),
        issuer.getProperty("kid"),
        claims(
            issuer.getProperty("issuer"),
            audience,
            "root",
            null,
            List.of("admin"),
            List.of(),
            Duration.ofHours(1)));
  }

  public static String dev(
      String subject, String facility, List<String> roles, List<String> groups, Duration ttl) {
    return devAt(KEY_DIR, subject, facility, roles, groups, ttl);
  }

  /** A token of the dev issuer of a node whose key lives in {@code keyDir}. */
  public static String devAt(
      Path keyDir,
      String subject,
      String facility,
      List<String> roles,
      List<String> groups,
      Duration ttl) {
    Properties issuer = issuer(keyDir);
    return sign(
        devSigner(keyDir),
        issuer.getProperty("kid"),
        claims(
            issuer.getProperty("issuer"),
            issuer.getProperty("audience"),
            subject,
            facility,
            roles,
            groups,
            ttl));
  }

  static JWTClaimsSet claims(
      String issuer,
      String audience,
      String subject,
      String facility,
      List<String> roles,
      List<String> groups,
      Duration ttl) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audience)
            .subject(subject)
            .issueTime(Date.from(now.minusSeconds(5)))
            .expirationTime(Date.from(now.plus(ttl)))
            .claim("roles", roles)
            .claim("groups", groups);
    if (facility != null) {
      builder.claim("facility", facility);
    }
    return builder.build();
  }

  static String sign(JWSSigner signer, String kid, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(
                      signer instanceof ECDSASigner ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256)
                  .keyID(kid)
                  .build(),
              claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWSSigner devSigner() {
    return devSigner(KEY_DIR);
  }

  private static JWSSigner devSigner(Path keyDir) {
    try {
      String pem = Files.readString(keyDir.resolve("signing-key.pem"));
      byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
      ECPrivateKey key =
          (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      return new ECDSASigner(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Properties issuer() {
    return issuer(KEY_DIR);
  }

  private static Properties issuer(Path keyDir) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(keyDir.resolve("issuer.properties"))) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
