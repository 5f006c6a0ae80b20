package org.pancat.access;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Conditions of a restricted artifact. Every condition that is set must hold: the licence accepted
 * (in that version), membership of one of the groups, a caller from one of the facilities or
 * locations, and the embargo date passed.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SharingConditions(
    @Valid LicenceCondition licence,
    @Size(max = 50) List<@Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}") String> groups,
    @Size(max = 50) List<@Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}") String> facilities,
    @Size(max = 50) List<@Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._ -]{0,127}") String> locations,
    LocalDate embargoUntil) {

  public static final SharingConditions NONE = new SharingConditions(null, null, null, null, null);

  public SharingConditions {
    groups = groups == null ? List.of() : List.copyOf(groups);
    facilities = facilities == null ? List.of() : List.copyOf(facilities);
    locations = locations == null ? List.of() : List.copyOf(locations);
  }

  @JsonIgnore
  public boolean isEmpty() {
    return licence == null
        && groups.isEmpty()
        && facilities.isEmpty()
        && locations.isEmpty()
        && embargoUntil == null;
  }

  /**
   * A licence that must be accepted: in {@code version} when it is pinned (that version only; once
   * the licence moves on, nobody new can meet it), else in its current version.
   */
  public record LicenceCondition(
      @jakarta.validation.constraints.NotBlank
          @Pattern(regexp = "(LicenseRef-)?[A-Za-z0-9][A-Za-z0-9.+-]{0,127}")
          String id,
      @Schema(nullable = true) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9.+-]{0,31}")
          String version) {}
}
