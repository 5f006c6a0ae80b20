package org.pancat.catalogue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.pancat.access.AccessDecision;
import org.pancat.access.SharingConditions;
import org.pancat.trust.ProvenanceView;
import org.pancat.trust.SignatureView;
import org.pancat.trust.TrustResult;

/** What readers get back. Artifact references appear only where the access decision allows. */
public final class Views {
  private Views() {}

  /**
   * An artifact imported from a trusted-only peer and hidden until this node trusts it: what an
   * operator needs to see why (its trust here), without its reference.
   */
  public record HeldArtifactView(
      String id,
      String software,
      String version,
      String kind,
      @Schema(nullable = true) String digest,
      Instant publishedAt,
      TrustResult trust) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FacilityView(
      String id, @JsonUnwrapped FacilityDocument facility, Instant createdAt, Instant updatedAt) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SoftwareView(
      String id,
      String facility,
      String slug,
      @JsonUnwrapped SoftwareDocument software,
      String sharing,
      List<String> versions,
      Instant createdAt,
      String createdBy,
      Instant updatedAt,
      String updatedBy,
      Withdrawal.WithdrawalView withdrawn,
      String origin) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ReleaseView(
      String software,
      String version,
      @JsonUnwrapped ReleaseDocument release,
      Instant publishedAt,
      String publishedBy,
      Withdrawal.WithdrawalView withdrawn,
      List<ArtifactView> artifacts) {}

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record ArtifactView(
      String id,
      String software,
      String version,
      String kind,
      String reference,
      String digest,
      List<ArtifactDocument.Platform> platforms,
      ArtifactDocument.Requirements requirements,
      List<String> runtimes,
      Map<String, String> labels,
      String derivedFrom,
      SharingView sharing,
      AccessDecision access,
      TrustResult trust,
      JsonNode originTrust,
      List<SignatureView> signatures,
      List<ProvenanceView> provenance,
      Instant publishedAt,
      String publishedBy,
      Withdrawal.WithdrawalView withdrawn) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SharingView(
      @JsonProperty("class") String sharingClass, SharingConditions conditions) {}
}
