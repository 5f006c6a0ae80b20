package org.pancat.resolve;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * What to launch (exactly one of software, technique, function, q) where (exactly one of a
 * registered compute resource or inline capabilities), under which constraints.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ResolveRequest(
    @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}/[a-z0-9][a-z0-9._-]{0,99}") String software,
    @Size(max = 300) String technique,
    @Size(max = 300) String function,
    @Size(max = 500) String q,
    @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}") String computeResource,
    @Valid ComputeResourceDocument capabilities,
    @Valid ConstraintsDocument constraints,
    @Min(1) @Max(50) Integer limit) {

  /** Constraints as sent; runtimes are compute-vocabulary terms. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record ConstraintsDocument(
      Boolean trustedOnly,
      @Size(max = 20) List<@Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}") String> facilities,
      @Size(max = 10) List<@Size(max = 50) String> runtimes,
      @Size(max = 10) List<@Size(max = 20) String> kinds,
      @Size(max = 20) List<@Size(max = 130) String> licences) {}
}
