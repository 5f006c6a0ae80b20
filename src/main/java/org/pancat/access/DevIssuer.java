package org.pancat.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Properties;

/**
 * The embedded development issuer's key material. The private key is written as PKCS#8 PEM with
 * owner-only permissions so {@code deploy/MintToken.java} can sign with the plain JDK; the node
 * reads only the public half ({@code jwks.json}).
 */
final class DevIssuer {
  static final String PRIVATE_KEY_FILE = "signing-key.pem";
  static final String ISSUER_FILE = "issuer.properties";
  static final String JWKS_FILE = "jwks.json";

  private DevIssuer() {}

  /** Creates the key on first use and returns the public JWK set to verify its tokens with. */
  static JWKSet ensureKey(AccessConfig.DevIssuer config) {
    Path dir = Path.of(config.keyDir());
    Path privateKey = dir.resolve(PRIVATE_KEY_FILE);
    try {
      Files.createDirectories(dir);
      if (!Files.exists(privateKey)) {
        generate(dir, config);
      }
      return JWKSet.load(dir.resolve(JWKS_FILE).toFile()).toPublicJWKSet();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the dev issuer key in " + dir, e);
    } catch (GeneralSecurityException | JOSEException | java.text.ParseException e) {
      throw new IllegalStateException("cannot prepare the dev issuer key in " + dir, e);
    }
  }

  /**
   * Signs a token of the dev issuer for {@code claims} (issuer, audience and times are set here):
   * the development sign-in's session, verified on each request like any bearer token.
   */
  static String mint(AccessConfig.DevIssuer config, JWTClaimsSet.Builder claims, Duration ttl) {
    ensureKey(config);
    Path dir = Path.of(config.keyDir());
    try {
      JWKSet keys = JWKSet.load(dir.resolve(JWKS_FILE).toFile());
      ECKey publicKey = (ECKey) keys.getKeys().get(0);
      String pem = Files.readString(dir.resolve(PRIVATE_KEY_FILE), StandardCharsets.US_ASCII);
      byte[] der =
          Base64.getMimeDecoder()
              .decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").strip());
      ECPrivateKey privateKey =
          (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      Instant now = Instant.now();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(publicKey.getKeyID()).build(),
              claims
                  .issuer(config.issuer())
                  .audience(config.audience())
                  .issueTime(Date.from(now))
                  .expirationTime(Date.from(now.plus(ttl)))
                  .build());
      jwt.sign(new ECDSASigner(privateKey));
      return jwt.serialize();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dev issuer key in " + dir, e);
    } catch (GeneralSecurityException | JOSEException | java.text.ParseException e) {
      throw new IllegalStateException("cannot sign with the dev issuer key in " + dir, e);
    }
  }

  private static void generate(Path dir, AccessConfig.DevIssuer config)
      throws GeneralSecurityException, IOException, JOSEException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    ECKey jwk =
        new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic())
            .privateKey((ECPrivateKey) pair.getPrivate())
            .keyIDFromThumbprint()
            .build();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Path keyFile = dir.resolve(PRIVATE_KEY_FILE);
    try {
      // Created owner-only before any byte is written, so the key is never readable by others.
      Files.createFile(
          keyFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(keyFile); // not POSIX: the directory's own permissions protect it
    }
    Files.writeString(keyFile, pem, StandardCharsets.US_ASCII);
    Properties issuer = new Properties();
    issuer.setProperty("issuer", config.issuer());
    issuer.setProperty("audience", config.audience());
    issuer.setProperty("kid", jwk.getKeyID());
    try (Writer out = Files.newBufferedWriter(dir.resolve(ISSUER_FILE))) {
      issuer.store(out, "pancat dev issuer: mint tokens with java deploy/MintToken.java");
    }
    Files.writeString(dir.resolve(JWKS_FILE), new JWKSet(jwk.toPublicJWK()).toString());
  }
}
