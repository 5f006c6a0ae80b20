package org.pancat.trust;

import dev.sigstore.proto.common.v1.HashAlgorithm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The SHA-2 digests a Sigstore signature can be made over, in the names each format uses. */
enum DigestAlgorithm {
  SHA256("sha256", "SHA-256", HashAlgorithm.SHA2_256, 32),
  SHA384("sha384", "SHA-384", HashAlgorithm.SHA2_384, 48),
  SHA512("sha512", "SHA-512", HashAlgorithm.SHA2_512, 64);

  /** As in pancat and OCI digests ({@code sha256:<hex>}), in-toto subjects and Rekor v1 bodies. */
  final String label;

  final String jcaName;
  final HashAlgorithm proto;
  final int length;

  DigestAlgorithm(String label, String jcaName, HashAlgorithm proto, int length) {
    this.label = label;
    this.jcaName = jcaName;
    this.proto = proto;
    this.length = length;
  }

  byte[] digest(byte[] data) {
    try {
      return MessageDigest.getInstance(jcaName).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + jcaName, e);
    }
  }

  /** {@code sha256}, {@code SHA256} or {@code SHA-256}; empty for anything else. */
  static Optional<DigestAlgorithm> named(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String plain = name.toLowerCase(Locale.ROOT).replace("-", "");
    return Arrays.stream(values()).filter(a -> a.label.equals(plain)).findFirst();
  }

  /** The protobuf-specs enum (bundles, Rekor v2 bodies); empty for SHA-3 or unspecified. */
  static Optional<DigestAlgorithm> of(HashAlgorithm proto) {
    return Arrays.stream(values()).filter(a -> a.proto == proto).findFirst();
  }
}
