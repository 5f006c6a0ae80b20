package org.pancat.resolve;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

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

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record LaunchHint(
      String command, String entrypoint, List<Integer> ports, Map<String, String> env) {}

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
