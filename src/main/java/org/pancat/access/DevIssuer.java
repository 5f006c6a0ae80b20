package org.pancat.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
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
