package org.pancat.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pancat.catalogue.ArtifactDocument;
import org.pancat.catalogue.LaunchCandidate;

/**
 * Whether an artifact can run on a resource, decided from data alone (access is decided by the
 * access policy, separately): launchable kind, digest, constraints, trust, architecture, GPU and
 * CUDA level, runtime, CVMFS repository and registry reachability. Collects every reason.
 */
final class LaunchRules {
  static final Set<String> LAUNCHABLE_KINDS = Set.of("oci-image", "sif", "cvmfs");
  private static final Set<String> OCI_ENGINES = Set.of("docker", "podman", "kubernetes");

  private LaunchRules() {}

  /** How to launch: the runtime, the pinned reference and a command line. */
  record Launch(
      String runtime,
      boolean nativeRuntime,
      String pinnedReference,
      String command,
      List<Integer> ports,
      Map<String, String> env,
      String entrypoint) {}

  record Evaluation(List<String> rejections, Launch launch) {
    boolean launchable() {
      return rejections.isEmpty();
    }
  }

  static Evaluation evaluate(
      LaunchCandidate c, String licence, Capabilities resource, Constraints constraints) {
    List<String> reasons = new ArrayList<>();
    ArtifactDocument a = c.artifact();
    if (!LAUNCHABLE_KINDS.contains(c.kind())) {
      reasons.add("a " + c.kind() + " artifact is not launchable (only oci-image, sif, cvmfs)");
    }
    if (c.digest() == null) {
      reasons.add("no digest: the reference cannot be pinned");
    }
    if (!constraints.kinds().isEmpty() && !constraints.kinds().contains(c.kind())) {
      reasons.add("kind " + c.kind() + " excluded by the constraints");
    }
    if (!constraints.facilities().isEmpty() && !constraints.facilities().contains(c.facility())) {
      reasons.add("facility " + c.facility() + " excluded by the constraints");
    }
    if (!constraints.licences().isEmpty()
        && constraints.licences().stream().noneMatch(l -> licenceMentions(licence, l))) {
      reasons.add("licence " + licence + " excluded by the constraints");
    }
    if (constraints.trustedOnly() && !"trusted".equals(c.trustClass())) {
      reasons.add("untrusted artifacts are excluded (trustedOnly)");
    }
    List<String> arches = a.platforms().stream().map(ArtifactDocument.Platform::arch).toList();
    if (!arches.isEmpty() && arches.stream().noneMatch(resource.architectures()::contains)) {
      reasons.add(
          "wrong architecture: built for " + arches + ", resource has " + resource.architectures());
    }
    ArtifactDocument.Requirements req = a.requirements();
    if (req != null && req.gpuVendor() != null) {
      if (!resource.gpuVendors().contains(req.gpuVendor())) {
        reasons.add("needs a " + req.gpuVendor() + " GPU, resource has " + resource.gpuVendors());
      } else if (req.cudaMin() != null
          && (resource.cudaDriver() == null
              || compareLevels(resource.cudaDriver(), req.cudaMin()) < 0)) {
        reasons.add(
            "CUDA too old: needs "
                + req.cudaMin()
                + ", resource driver supports "
                + (resource.cudaDriver() == null ? "none" : resource.cudaDriver()));
      }
    }
    Launch launch = null;
    if (LAUNCHABLE_KINDS.contains(c.kind()) && c.digest() != null) {
      launch = launch(c, resource, constraints, reasons);
    }
    return new Evaluation(List.copyOf(reasons), reasons.isEmpty() ? launch : null);
  }

  private static Launch launch(
      LaunchCandidate c, Capabilities resource, Constraints constraints, List<String> reasons) {
    ArtifactDocument a = c.artifact();
    List<String> usable = new ArrayList<>();
    List<String> preferred;
    String pinned;
    switch (c.kind()) {
      case "oci-image" -> {
        pinned = c.reference() + "@" + c.digest();
        String registry = c.reference().substring(0, c.reference().indexOf('/'));
        if (!resource.registries().isEmpty() && !resource.registries().contains(registry)) {
          reasons.add("registry " + registry + " is not reachable from the resource");
        }
        preferred = a.runtimes().isEmpty() ? Capabilities.OCI_RUNTIMES : a.runtimes();
        for (String r : Capabilities.OCI_RUNTIMES) {
          if (resource.runtimes().contains(r)) {
            usable.add(r);
          }
        }
      }
      case "sif" -> {
        pinned = c.reference();
        preferred = List.of("apptainer");
        if (resource.runtimes().contains("apptainer")) {
          usable.add("apptainer");
        }
      }
      default -> {
        pinned = c.reference();
        preferred = List.of("apptainer");
        String repository = c.reference().split("/")[2];
        if (!resource.cvmfsRepositories().contains(repository)) {
          reasons.add("CVMFS repository " + repository + " is not mounted on the resource");
        }
        if (resource.runtimes().contains("apptainer")) {
          usable.add("apptainer");
        }
      }
    }
    if (!constraints.runtimes().isEmpty()) {
      usable.retainAll(constraints.runtimes());
    }
    if (usable.isEmpty()) {
      reasons.add(
          "no runtime: a "
              + c.kind()
              + " needs one of "
              + (c.kind().equals("oci-image") ? Capabilities.OCI_RUNTIMES : List.of("apptainer"))
              + ", resource has "
              + resource.runtimes()
              + (constraints.runtimes().isEmpty()
                  ? ""
                  : " (constrained to " + constraints.runtimes() + ")"));
      return null;
    }
    String runtime = usable.stream().filter(preferred::contains).findFirst().orElse(usable.get(0));
    // OCI engines run OCI images as they are; Apptainer and the HPC runtimes convert them first
    boolean nativeRuntime =
        c.kind().equals("oci-image") ? OCI_ENGINES.contains(runtime) : runtime.equals("apptainer");
    List<Integer> ports = ports(a.labels().get("pancat.launch.ports"));
    Map<String, String> env = new LinkedHashMap<>();
    a.labels().entrySet().stream()
        .filter(e -> e.getKey().startsWith("pancat.launch.env."))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> env.put(e.getKey().substring("pancat.launch.env.".length()), e.getValue()));
    String entrypoint = a.labels().get("pancat.launch.entrypoint");
    return new Launch(
        runtime,
        nativeRuntime,
        pinned,
        command(runtime, c.kind(), pinned, ports, env, entrypoint),
        ports,
        env,
        entrypoint);
  }

  private static String command(
      String runtime,
      String kind,
      String pinned,
      List<Integer> ports,
      Map<String, String> env,
      String entrypoint) {
    StringBuilder sb = new StringBuilder();
    String tail = entrypoint == null ? "" : " " + entrypoint;
    switch (runtime) {
      case "docker", "podman" -> {
        sb.append(runtime).append(" run --rm");
        ports.forEach(p -> sb.append(" -p ").append(p).append(':').append(p));
        env.forEach((k, v) -> sb.append(" -e ").append(k).append('=').append(v));
        sb.append(' ').append(pinned).append(tail);
      }
      case "apptainer" -> {
        env.forEach(
            (k, v) -> sb.append("APPTAINERENV_").append(k).append('=').append(v).append(' '));
        sb.append("apptainer run ")
            .append(kind.equals("oci-image") ? "docker://" : "")
            .append(pinned)
            .append(tail);
      }
      case "charliecloud" ->
          sb.append("ch-image pull ")
              .append(pinned)
              .append(" && ch-run ")
              .append(pinned)
              .append(" --")
              .append(tail);
      case "sarus" ->
          sb.append("sarus pull ")
              .append(pinned)
              .append(" && sarus run ")
              .append(pinned)
              .append(tail);
      default -> sb.append("image: ").append(pinned); // kubernetes: the pod spec takes the image
    }
    return sb.toString();
  }

  private static List<Integer> ports(String label) {
    if (label == null || label.isBlank()) {
      return List.of();
    }
    List<Integer> ports = new ArrayList<>();
    for (String p : label.split("[,\\s]+")) {
      if (p.matches("\\d{1,5}")) {
        ports.add(Integer.parseInt(p));
      }
    }
    return ports;
  }

  private static boolean licenceMentions(String expression, String id) {
    return expression != null && List.of(expression.split("[\\s()]+")).contains(id);
  }

  /** Compares dotted levels numerically ("12.10" is above "12.2"). */
  static int compareLevels(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int xi = i < x.length ? Integer.parseInt(x[i]) : 0;
      int yi = i < y.length ? Integer.parseInt(y[i]) : 0;
      if (xi != yi) {
        return Integer.compare(xi, yi);
      }
    }
    return 0;
  }
}
