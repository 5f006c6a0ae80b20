package org.pancat.resolve;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * What a compute resource offers. Architectures, GPU vendors, MPI flavours and runtimes are terms
 * of the compute-capabilities vocabulary (any label: {@code x86_64}, {@code amd64}, ...).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ComputeResourceDocument(
    @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}") String facility,
    @Size(max = 2000) String description,
    @Size(max = 200) String location,
    @NotEmpty @Size(max = 10) List<@NotBlank @Size(max = 50) String> architectures,
    @Size(max = 10) List<@Valid Gpu> gpus,
    @Size(max = 10) List<@NotBlank @Size(max = 50) String> mpi,
    @NotEmpty @Size(max = 10) List<@NotBlank @Size(max = 50) String> runtimes,
    @Size(max = 50) List<@Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String> cvmfsRepositories,
    @Size(max = 50) List<@Pattern(regexp = "[a-z0-9][a-z0-9.:-]{0,199}") String> registries) {

  public ComputeResourceDocument {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
    mpi = mpi == null ? List.of() : List.copyOf(mpi);
    cvmfsRepositories = cvmfsRepositories == null ? List.of() : List.copyOf(cvmfsRepositories);
    registries = registries == null ? List.of() : List.copyOf(registries);
  }

  /** A GPU model with the CUDA level its driver supports (NVIDIA only). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Gpu(
      @NotBlank @Size(max = 50) String vendor,
      @Size(max = 100) String model,
      @Pattern(regexp = "\\d{1,2}(\\.\\d{1,2})?") String cudaDriver,
      @Min(1) @Max(1024) Integer count) {}
}
