package org.pancat.resolve;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pancat.catalogue.ArtifactDocument;
import org.pancat.catalogue.LaunchCandidate;
import org.pancat.catalogue.LaunchLabels;

/**
 * Whether an artifact can run on a resource, decided from data alone (access is decided by the
 * access policy, separately): launchable kind, digest, constraints, trust, architecture, GPU and
 * CUDA level, runtime, CVMFS repository and registry reachability. Collects every reason.
 */
final class LaunchRules {
  static final Set<String> LAUNCHABLE_KINDS = Set.of("oci-image", "sif", "cvmfs");
  private static final Set<String> OCI_ENGINES = Set.of("docker", "podman", "kubernetes");

  private LaunchRules() {}

  /**
   * How to launch, as data a portal executes without a shell: {@code prepare} steps then {@code
   * argv}, each an argument vector; {@code runtimeEnv} is set in the runtime process's environment.
   * Publisher-supplied values (env, entrypoint) only ever appear as whole argv elements or env
   * values, never spliced into a command string.
   */
  record Launch(
      String runtime,
      boolean nativeRuntime,
      String pinnedReference,
      List<List<String>> prepare,
      List<String> argv,
      Map<String, String> runtimeEnv,
      List<Integer> ports,
      Map<String, String> env,
      List<String> entrypoint,
      List<LaunchLabels.Mount> mounts) {

    /** The same launch for a POSIX shell, every word quoted: for people to read, not to run. */
    String display() {
      List<String> steps = new ArrayList<>();
      prepare.forEach(step -> steps.add(ShellQuoting.join(step)));
      if (!argv.isEmpty()) {
        StringBuilder run = new StringBuilder();
        runtimeEnv.forEach(
            (k, v) -> run.append(k).append('=').append(ShellQuoting.quote(v)).append(' '));
        steps.add(run.append(ShellQuoting.join(argv)).toString());
      }
      return steps.isEmpty() ? "image: " + pinnedReference : String.join(" && ", steps);
    }
  }

  record Evaluation(List<String> rejections, Launch launch) {
    boolean launchable() {
      return rejections.isEmpty();
    }
  }

  /**
   * @param mayKnowReference whether the caller may have the reference: reasons derived from it (its
   *     registry, its CVMFS repository) are worded without it otherwise
   */
  static Evaluation evaluate(
      LaunchCandidate c,
      String licence,
      Capabilities resource,
      Constraints constraints,
      boolean mayKnowReference) {
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
    if (c.reference() == null) {
      reasons.add(
          "non-shareable: its reference stays at the node of its home facility " + c.facility());
    }
    Launch launch = null;
    if (LAUNCHABLE_KINDS.contains(c.kind()) && c.digest() != null && c.reference() != null) {
      launch = launch(c, resource, constraints, reasons, mayKnowReference);
    }
    return new Evaluation(List.copyOf(reasons), reasons.isEmpty() ? launch : null);
  }

  private static Launch launch(
      LaunchCandidate c,
      Capabilities resource,
      Constraints constraints,
      List<String> reasons,
      boolean mayKnowReference) {
    ArtifactDocument a = c.artifact();
    List<String> usable = new ArrayList<>();
    List<String> preferred;
    String pinned;
    switch (c.kind()) {
      case "oci-image" -> {
        pinned = c.reference() + "@" + c.digest();
        String registry = c.reference().substring(0, c.reference().indexOf('/'));
        if (!resource.registries().isEmpty() && !resource.registries().contains(registry)) {
          reasons.add(
              mayKnowReference
                  ? "registry " + registry + " is not reachable from the resource"
                  : "the image's registry is not reachable from the resource");
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
          reasons.add(
              mayKnowReference
                  ? "CVMFS repository " + repository + " is not mounted on the resource"
                  : "its CVMFS repository is not mounted on the resource");
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
    if (pinned.startsWith("-")) {
      // registration refuses such references; an imported one is refused here as well
      reasons.add("the reference would be read as an option of the runtime");
      return null;
    }
    LaunchLabels labels;
    try {
      labels = LaunchLabels.read(a.labels());
    } catch (LaunchLabels.Refused e) {
      // imported artifacts were checked by their origin, but this node decides what it hands out
      reasons.add("launch label " + e.label() + " is refused: " + e.reason());
      return null;
    }
    List<LaunchLabels.Mount> mounts =
        c.kind().equals("cvmfs")
            ? List.of(LaunchLabels.Mount.readOnly("/cvmfs/" + c.reference().split("/")[2]))
            : List.of();
    return runtimeLaunch(runtime, nativeRuntime, c.kind(), pinned, labels, mounts);
  }

  private static Launch runtimeLaunch(
      String runtime,
      boolean nativeRuntime,
      String kind,
      String pinned,
      LaunchLabels labels,
      List<LaunchLabels.Mount> mounts) {
    List<List<String>> prepare = new ArrayList<>();
    List<String> argv = new ArrayList<>();
    Map<String, String> runtimeEnv = new LinkedHashMap<>();
    switch (runtime) {
      case "docker", "podman" -> {
        argv.addAll(List.of(runtime, "run", "--rm"));
        labels.ports().forEach(p -> argv.addAll(List.of("-p", p + ":" + p)));
        labels.env().forEach((k, v) -> argv.addAll(List.of("-e", k + "=" + v)));
        mounts.forEach(m -> argv.addAll(List.of("-v", m.bindSpec())));
        argv.add(pinned);
        argv.addAll(labels.entrypoint());
      }
      case "apptainer" -> {
        // APPTAINERENV_<NAME> is how Apptainer passes a variable into the container verbatim
        labels.env().forEach((k, v) -> runtimeEnv.put("APPTAINERENV_" + k, v));
        argv.addAll(List.of("apptainer", "run"));
        mounts.forEach(m -> argv.addAll(List.of("--bind", m.bindSpec())));
        argv.add(kind.equals("oci-image") ? "docker://" + pinned : pinned);
        argv.addAll(labels.entrypoint());
      }
      case "charliecloud" -> {
        prepare.add(List.of("ch-image", "pull", pinned));
        argv.addAll(List.of("ch-run", pinned, "--"));
        argv.addAll(labels.entrypoint());
      }
      case "sarus" -> {
        prepare.add(List.of("sarus", "pull", pinned));
        argv.addAll(List.of("sarus", "run", pinned));
        argv.addAll(labels.entrypoint());
      }
      default -> {
        // kubernetes: no command line; the pod spec takes the image, entrypoint, env and ports
      }
    }
    return new Launch(
        runtime,
        nativeRuntime,
        pinned,
        List.copyOf(prepare),
        List.copyOf(argv),
        Collections.unmodifiableMap(runtimeEnv),
        labels.ports(),
        labels.env(),
        labels.entrypoint(),
        mounts);
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
