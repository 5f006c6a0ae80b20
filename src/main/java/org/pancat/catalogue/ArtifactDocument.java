package org.pancat.catalogue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.pancat.access.SharingConditions;
import org.pancat.kernel.Ids;

/**
 * One way to get a release: an image, package, CVMFS path, recipe... An artifact without a digest
 * can be listed but is never offered for launch.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ArtifactDocument(
    @NotBlank String kind,
    @NotBlank @Size(max = 1000) @Pattern(regexp = "\\S+", message = "must not contain whitespace")
        String reference,
    String digest,
    @Size(max = 20) List<@Valid Platform> platforms,
    @Valid Requirements requirements,
    @Size(max = 10) List<@Pattern(regexp = "[a-z][a-z0-9-]{0,30}") String> runtimes,
    @Size(max = 50) Map<@Size(min = 1, max = 200) String, @Size(max = 1000) String> labels,
    @Pattern(regexp = Ids.ARTIFACT, message = "must be the id of an artifact of the same release")
        String derivedFrom,
    @Valid Sharing sharing) {

  public ArtifactDocument {
    platforms = platforms == null ? List.of() : List.copyOf(platforms);
    runtimes = runtimes == null ? List.of() : runtimes.stream().distinct().sorted().toList();
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    sharing = sharing == null ? new Sharing("open", null) : sharing;
  }

  /** Operating system and architecture, in OCI terms (linux/amd64, linux/arm64/v8). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Platform(
      @NotBlank @Pattern(regexp = "[a-z0-9_]{1,30}") String os,
      @NotBlank @Pattern(regexp = "[a-z0-9_]{1,30}") String arch,
      @Pattern(regexp = "[a-z0-9_]{1,30}") String variant) {}

  /** What a compute resource must offer to run it. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Requirements(
      @Pattern(regexp = "nvidia|amd|intel") String gpuVendor,
      @Pattern(regexp = "\\d{1,2}(\\.\\d{1,2})?") String cudaMin,
      @Pattern(regexp = "[a-z][a-z0-9-]{0,30}") String mpi,
      @Min(1) @Max(100000) Integer minMemoryGb,
      @Min(1) @Max(100000) Integer minCores) {}

  /** Sharing class and, for restricted artifacts, the conditions a caller must meet. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Sharing(
      @JsonProperty("class")
          @NotBlank
          @Pattern(
              regexp = "open|restricted|non-shareable",
              message = "must be open, restricted or non-shareable")
          String sharingClass,
      @Valid SharingConditions conditions) {

    public Sharing {
      conditions = conditions == null || conditions.isEmpty() ? null : conditions;
    }
  }
}
