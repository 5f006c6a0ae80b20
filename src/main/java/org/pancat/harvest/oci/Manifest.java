package org.pancat.harvest.oci;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A manifest or an index as the registry served it: the exact bytes (whose sha256 is the digest,
 * checked when it was read) and their JSON.
 */
public record Manifest(
    String repository, String digest, String mediaType, byte[] bytes, JsonNode json) {
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String DOCKER_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /** An OCI image index or a Docker manifest list (one manifest per platform). */
  public boolean isIndex() {
    if (OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType)) {
      return true;
    }
    return (mediaType == null || mediaType.isEmpty())
        && json != null
        && json.path("manifests").isArray()
        && !json.has("layers");
  }
}
