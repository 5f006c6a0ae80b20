package org.pancat.trust;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a signature is checked against: the artifact's bytes (any digest can be computed, and
 * Ed25519 or a plain DSSE payload can be compared), or only one digest of it.
 */
final class Artifact {
  private static final Pattern DIGEST = Pattern.compile("(sha256|sha384|sha512):([0-9a-fA-F]+)");

  private final byte[] bytes;
  private final DigestAlgorithm givenAlgorithm;
  private final byte[] givenDigest;

  private Artifact(byte[] bytes, DigestAlgorithm givenAlgorithm, byte[] givenDigest) {
    this.bytes = bytes;
    this.givenAlgorithm = givenAlgorithm;
    this.givenDigest = givenDigest;
  }

  static Artifact ofBytes(byte[] bytes) {
    if (bytes == null) {
      throw EvidenceRefused.doesNotVerify("no artifact was given");
    }
    return new Artifact(bytes.clone(), null, null);
  }

  /** {@code sha256:<hex>}, {@code sha384:<hex>} or {@code sha512:<hex>}. */
  static Artifact ofDigest(String digest) {
    Matcher m = digest == null ? null : DIGEST.matcher(digest);
    if (m == null || !m.matches()) {
      throw EvidenceRefused.doesNotVerify(
          "signatures are checked over a sha256:, sha384: or sha512: digest of the artifact");
    }
    DigestAlgorithm algorithm = DigestAlgorithm.named(m.group(1)).orElseThrow();
    if (m.group(2).length() != 2 * algorithm.length) {
      throw EvidenceRefused.doesNotVerify(
          "a " + algorithm.label + " digest has " + 2 * algorithm.length + " hex digits");
    }
    return new Artifact(null, algorithm, HexFormat.of().parseHex(m.group(2)));
  }

  /** The artifact's digest in {@code algorithm}, when it can be known. */
  Optional<byte[]> digestIfKnown(DigestAlgorithm algorithm) {
    if (bytes != null) {
      return Optional.of(algorithm.digest(bytes));
    }
    return algorithm == givenAlgorithm ? Optional.of(givenDigest.clone()) : Optional.empty();
  }

  /** The artifact's digest in {@code algorithm}, or a refusal saying which digest is needed. */
  byte[] digest(DigestAlgorithm algorithm) {
    return digestIfKnown(algorithm)
        .orElseThrow(
            () ->
                EvidenceRefused.doesNotVerify(
                    "the bundle signs the artifact's "
                        + algorithm.label
                        + " digest, and only its "
                        + givenAlgorithm.label
                        + " digest was given"));
  }

  /** The algorithm of the digest given instead of the bytes; empty when the bytes were given. */
  Optional<DigestAlgorithm> givenAlgorithm() {
    return Optional.ofNullable(givenAlgorithm);
  }

  Optional<byte[]> bytes() {
    return Optional.ofNullable(bytes).map(byte[]::clone);
  }

  /** Whether {@code content} is the artifact (compared by bytes, or by the given digest). */
  boolean is(byte[] content) {
    if (bytes != null) {
      return Arrays.equals(bytes, content);
    }
    return Arrays.equals(givenDigest, givenAlgorithm.digest(content));
  }
}
