package org.pancat.catalogue;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * What an admin registers about a facility. Trust policy fields are judged by the trust feature.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FacilityDocument(
    @NotBlank @Size(max = 200) String name,
    @Size(max = 10000) String description,
    @Size(max = 500) @Pattern(regexp = Patterns.HTTP_URL, message = Patterns.HTTP_URL_MESSAGE)
        String homepage,
    @Size(max = 100) String country,
    @Size(max = 200) String nodeId,
    @Size(max = 100) List<@Valid TrustedSigner> trustedSigners,
    @Size(max = 100) List<@NotBlank @Size(max = 500) String> trustedBuilders) {

  public FacilityDocument {
    trustedSigners = trustedSigners == null ? List.of() : List.copyOf(trustedSigners);
    trustedBuilders = trustedBuilders == null ? List.of() : List.copyOf(trustedBuilders);
  }

  /** A signing identity the facility vouches for: certificate SAN and OIDC issuer. */
  public record TrustedSigner(
      @NotBlank @Size(max = 500) String identity, @NotBlank @Size(max = 500) String issuer) {}
}
