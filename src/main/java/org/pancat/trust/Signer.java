package org.pancat.trust;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;

/**
 * Who signed the bundle: its leaf certificate, or the managed key the caller gave. Log entries name
 * their signer too; {@link #isPem} and {@link #isDer} say whether that is this one.
 */
record Signer(Optional<X509Certificate> certificate, PublicKey key) {

  static Signer of(X509Certificate leaf) {
    return new Signer(Optional.of(leaf), leaf.getPublicKey());
  }

  static Signer of(PublicKey managedKey) {
    return new Signer(Optional.empty(), managedKey);
  }

  /** A log entry's PEM certificate or public key (Rekor v1 bodies). */
  boolean isPem(byte[] pem) {
    if (certificate.isPresent()) {
      return SigningKeys.certificate(pem).map(this::isThisCertificate).orElse(false);
    }
    return SigningKeys.fromPem(new String(pem, StandardCharsets.US_ASCII))
        .map(k -> Arrays.equals(k.getEncoded(), key.getEncoded()))
        .orElse(false);
  }

  /** A Rekor v2 verifier: the certificate's DER, or the key's SubjectPublicKeyInfo. */
  boolean isDer(byte[] der, boolean isCertificate) {
    if (isCertificate != certificate.isPresent()) {
      return false;
    }
    if (isCertificate) {
      return SigningKeys.certificate(der).map(this::isThisCertificate).orElse(false);
    }
    return Arrays.equals(der, key.getEncoded());
  }

  /** What a refusal calls the signer. */
  String noun() {
    return certificate.isPresent() ? "certificate" : "key";
  }

  private boolean isThisCertificate(X509Certificate other) {
    try {
      return Arrays.equals(other.getEncoded(), certificate.orElseThrow().getEncoded());
    } catch (CertificateEncodingException e) {
      return false;
    }
  }
}
