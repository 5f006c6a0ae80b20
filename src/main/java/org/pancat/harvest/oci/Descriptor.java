package org.pancat.harvest.oci;

import java.util.Map;

/**
 * An OCI content descriptor: a layer of a manifest, a manifest of an index, or a referrer.
 *
 * @param artifactType null when absent
 * @param annotations never null, possibly empty
 * @param platform null when absent (only manifests of an index carry one)
 */
public record Descriptor(
    String mediaType,
    String digest,
    long size,
    String artifactType,
    Map<String, String> annotations,
    Platform platform) {
  public Descriptor {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** The platform of an index entry; variant is null when absent. */
  public record Platform(String os, String architecture, String variant) {
    /** os/architecture[/variant], as docker and cosign write it. */
    @Override
    public String toString() {
      return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
  }
}
