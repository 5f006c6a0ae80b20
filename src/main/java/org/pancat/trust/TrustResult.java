package org.pancat.trust;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * An artifact's computed trust: the class, why, who signed, what provenance says, under which
 * policy version and when it was judged. Never set by a request; only {@link TrustEvaluator} makes
 * one.
 *
 * @param policyVersion the facility policy version judged under; null when it has no policy
 * @param evaluatedAt null for an artifact never evaluated (no evidence attached yet)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrustResult(
    @JsonProperty("class") String trustClass,
    List<String> reasons,
    List<SignerView> signers,
    List<ProvenanceSummary> provenance,
    Integer policyVersion,
    Instant evaluatedAt) {

  public static final String TRUSTED = "trusted";
  public static final String UNTRUSTED = "untrusted";

  /** The result for an artifact that carries no evidence at all. */
  public static final TrustResult NO_EVIDENCE =
      new TrustResult(UNTRUSTED, List.of("no signature"), List.of(), List.of(), null, null);

  public boolean trusted() {
    return TRUSTED.equals(trustClass);
  }

  /**
   * A verified signer and whether this node's policy for the artifact's facility accepts it.
   *
   * @param identity certificate identity, or the key fingerprint for key pairs
   * @param issuer OIDC issuer for keyless signatures
   * @param key the policy's name for the key, when a trusted key signed
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SignerView(
      String kind,
      String identity,
      String issuer,
      String key,
      boolean trustedByPolicy,
      Instant signedAt,
      Instant verifiedAt) {}

  /** The provenance facts a user needs to judge a build, and whether its builder is trusted. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ProvenanceSummary(
      String builderId,
      String sourceRepository,
      String sourceCommit,
      String triggeredBy,
      String signedBy,
      boolean trustedBuilder) {}
}
