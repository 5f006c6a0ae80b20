package org.pancat.harvest.apt;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A verified InRelease.
 *
 * @param sha256 hex (lower case) of the InRelease bytes fetched, used to skip an unchanged
 *     repository
 * @param date its {@code Date}
 * @param validUntil its {@code Valid-Until}, or null when it has none
 * @param signerFingerprint the fingerprint (hex, upper case, as gpg prints it) of the key or subkey
 *     whose signature verified
 * @param files the index files of its {@code SHA256:} section, by path relative to {@code
 *     dists/<suite>/}
 */
public record VerifiedRelease(
    String sha256,
    Instant date,
    Instant validUntil,
    String signerFingerprint,
    Map<String, IndexFile> files) {
  public VerifiedRelease {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(signerFingerprint, "signerFingerprint");
    files = Map.copyOf(files);
  }

  /** One index file the release lists: path relative to {@code dists/<suite>/}, size, sha256. */
  public record IndexFile(String path, long size, String sha256) {}
}
