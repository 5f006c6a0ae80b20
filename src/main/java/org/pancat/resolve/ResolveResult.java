package org.pancat.resolve;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.pancat.catalogue.LaunchLabels;

/** Ranked launchable candidates and every rejected artifact with its reasons. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolveResult(
    String computeResource, List<Candidate> candidates, List<Rejected> rejected) {

  /** One launchable artifact, pinned by digest, with how to run and verify it and why. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Candidate(
      int rank,
      String software,
      String name,
      String version,
      String artifact,
      String kind,
      String pinnedReference,
      String digest,
      String runtime,
      LaunchHint launch,
      Verification verification,
      List<String> why) {}

  /**
   * How to run the candidate, as data to execute without a shell.
   *
   * @param prepare argument vectors to run first, in order (pulling the image for some runtimes)
   * @param argv the argument vector that runs it; empty for Kubernetes, whose pod spec takes the
   *     pinned reference as its image
   * @param runtimeEnv variables to set in the runtime process's own environment (Apptainer takes
   *     the container's variables as {@code APPTAINERENV_<NAME>})
   * @param entrypoint arguments after the image, from the artifact's launch labels
   * @param env the container's environment, from the artifact's launch labels
   * @param mounts host directories the runtime binds (the CVMFS repository of a CVMFS image)
   * @param display the same launch as one POSIX shell line, every word quoted, for people to read
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record LaunchHint(
      List<List<String>> prepare,
      List<String> argv,
      Map<String, String> runtimeEnv,
      List<String> entrypoint,
      List<Integer> ports,
      Map<String, String> env,
      List<LaunchLabels.Mount> mounts,
      String display) {}

  /** Where the signatures are and what this node concluded from them. */
  public record Verification(String signatures, String trust) {}

  /** An artifact that was considered and not chosen; never carries a reference. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Rejected(
      String software,
      String version,
      String artifact,
      String kind,
      List<String> reasons,
      Map<String, String> how) {}
}
