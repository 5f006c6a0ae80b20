package org.pancat.trust;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Public keys as Sigstore carries them (PEM, SubjectPublicKeyInfo DER, trusted-root entries) and
 * the JDK signature algorithm each key implies. All checks go through {@link Signature}.
 */
final class SigningKeys {
  private static final HexFormat HEX = HexFormat.of();

  /** DER DigestInfo prefixes (RFC 8017 §9.2 note 1) for RSA PKCS#1 v1.5 over a given digest. */
  private static final byte[] SHA256_DIGEST_INFO =
      HEX.parseHex("3031300d060960864801650304020105000420");

  private static final byte[] SHA384_DIGEST_INFO =
      HEX.parseHex("3041300d060960864801650304020205000430");
  private static final byte[] SHA512_DIGEST_INFO =
      HEX.parseHex("3051300d060960864801650304020305000440");

  private SigningKeys() {}

  /** A PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo); empty when it is not one we can use. */
  static Optional<PublicKey> fromPem(String pem) {
    if (pem == null || !pem.contains("-----BEGIN PUBLIC KEY-----")) {
      return Optional.empty();
    }
    return pemBody(pem).flatMap(SigningKeys::fromSpki);
  }

  /** The DER inside a PEM {@code PUBLIC KEY}, or empty when its body is not base64. */
  static Optional<byte[]> pemBody(String pem) {
    String body =
        pem == null
            ? ""
            : pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
    try {
      return Optional.of(Base64.getDecoder().decode(body));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A DER SubjectPublicKeyInfo of an EC, RSA or Ed25519 key. */
  static Optional<PublicKey> fromSpki(byte[] der) {
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return Optional.of(
            KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der)));
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this kind of key: try the next
      }
    }
    return Optional.empty();
  }

  /**
   * A trusted-root key. The trusted root names the format ({@code PKIX_*} is SubjectPublicKeyInfo,
   * {@code PKCS1_RSA_*} a bare RSAPublicKey); sigstore-java 2.0.0 only converts P-256, so other
   * curves are read here.
   */
  static PublicKey fromTrustedRoot(dev.sigstore.trustroot.PublicKey key)
      throws GeneralSecurityException {
    if (key.getKeyDetails().startsWith("PKCS1_RSA")) {
      return dev.sigstore.encryption.Keys.parseRsaPkcs1(key.getRawBytes());
    }
    return fromSpki(key.getRawBytes())
        .orElseThrow(() -> new GeneralSecurityException("not an EC, RSA or Ed25519 key"));
  }

  /** A certificate in DER or PEM; empty when it cannot be read. */
  static Optional<X509Certificate> certificate(byte[] derOrPem) {
    try {
      return Optional.of(
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(derOrPem)));
    } catch (CertificateException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The digest a key signs with in Sigstore's algorithm registry: SHA-256 for P-256 and RSA,
   * SHA-384 for P-384, SHA-512 for P-521 and Ed25519 (Ed25519ph, as Rekor v2 prehashes).
   */
  static DigestAlgorithm defaultDigest(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return bits > 384
          ? DigestAlgorithm.SHA512
          : bits > 256 ? DigestAlgorithm.SHA384 : DigestAlgorithm.SHA256;
    }
    if (isEd25519(key)) {
      return DigestAlgorithm.SHA512;
    }
    return DigestAlgorithm.SHA256;
  }

  static boolean isEd25519(PublicKey key) {
    return key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA");
  }

  /**
   * Checks a signature made over a precomputed digest (hashedrekord): ECDSA signs the digest as is,
   * RSA PKCS#1 v1.5 signs its DigestInfo. Ed25519 cannot sign a digest, so it is never valid.
   */
  static boolean verifyDigest(
      PublicKey key, DigestAlgorithm algorithm, byte[] digest, byte[] signature) {
    try {
      if (key instanceof ECPublicKey) {
        return verify("NONEwithECDSA", key, digest, signature);
      }
      if (key instanceof RSAPublicKey) {
        byte[] prefix =
            switch (algorithm) {
              case SHA256 -> SHA256_DIGEST_INFO;
              case SHA384 -> SHA384_DIGEST_INFO;
              case SHA512 -> SHA512_DIGEST_INFO;
            };
        byte[] digestInfo = new byte[prefix.length + digest.length];
        System.arraycopy(prefix, 0, digestInfo, 0, prefix.length);
        System.arraycopy(digest, 0, digestInfo, prefix.length, digest.length);
        return verify("NONEwithRSA", key, digestInfo, signature);
      }
      return false;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // a malformed signature or a key of the wrong kind does not verify
    }
  }

  /** Checks a signature over a whole message (DSSE PAE, checkpoints, SETs, Ed25519 artifacts). */
  static boolean verifyMessage(PublicKey key, byte[] message, byte[] signature) {
    try {
      return verify(messageAlgorithm(key), key, message, signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static String messageAlgorithm(PublicKey key) throws GeneralSecurityException {
    if (key instanceof ECPublicKey) {
      return switch (defaultDigest(key)) {
        case SHA256 -> "SHA256withECDSA";
        case SHA384 -> "SHA384withECDSA";
        case SHA512 -> "SHA512withECDSA";
      };
    }
    if (key instanceof RSAPublicKey) {
      return "SHA256withRSA";
    }
    if (isEd25519(key)) {
      return "Ed25519";
    }
    throw new GeneralSecurityException("unsupported key type");
  }

  private static boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(key);
    verifier.update(data);
    return verifier.verify(signature);
  }
}
