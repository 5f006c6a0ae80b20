package org.pancat.resolve;

import java.util.List;
import java.util.Set;

/**
 * A resource's capabilities in the vocabulary's canonical names: architectures (amd64, arm64,
 * ppc64le), GPU vendors with the best CUDA driver level, runtimes (docker, podman, apptainer,
 * charliecloud, sarus, kubernetes), CVMFS repositories, reachable registries (empty: any).
 */
public record Capabilities(
    String facility,
    Set<String> architectures,
    Set<String> gpuVendors,
    String cudaDriver,
    Set<String> runtimes,
    Set<String> cvmfsRepositories,
    Set<String> registries) {

  public Capabilities {
    architectures = Set.copyOf(architectures);
    gpuVendors = Set.copyOf(gpuVendors);
    runtimes = Set.copyOf(runtimes);
    cvmfsRepositories = Set.copyOf(cvmfsRepositories);
    registries = Set.copyOf(registries);
  }

  /** Runtimes able to run an OCI image, in order of preference. */
  static final List<String> OCI_RUNTIMES =
      List.of("kubernetes", "docker", "podman", "apptainer", "charliecloud", "sarus");
}
