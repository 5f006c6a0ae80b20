package org.pancat.trust;

/**
 * The artifact evidence is about, as the catalogue hands it to trust: which artifact, whose it is
 * (the software's facility owns its trust policy) and the digest signatures are checked over.
 *
 * @param digest {@code <algorithm>:<hex>}, or null for an artifact without one (nothing can be
 *     signed over it)
 */
public record EvidenceSubject(String artifactId, String softwareId, String version, String digest) {
  public String facilityId() {
    return softwareId.substring(0, softwareId.indexOf('/'));
  }
}
