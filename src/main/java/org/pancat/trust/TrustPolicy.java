package org.pancat.trust;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.pancat.problem.ProblemException;

/**
 * A facility's trust policy on this node: whose signatures make its artifacts {@code trusted}.
 *
 * @param signers Sigstore keyless identities: certificate identity (exact, or a regular expression
 *     matching the whole identity) together with the OIDC issuer
 * @param publicKeys key pairs whose signatures count (e.g. a facility's cosign release key)
 * @param builders SLSA builder ids whose provenance counts
 * @param requireProvenance whether trusted also needs provenance from one of {@code builders}
 * @param minSignatures how many distinct trusted signers must have signed (k of n, default 1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrustPolicy(
    @Valid @Size(max = 100) List<@NotNull @Valid Signer> signers,
    @Valid @Size(max = 100) List<@NotNull @Valid TrustedKey> publicKeys,
    @Size(max = 100) List<@NotBlank @Size(max = 1000) String> builders,
    Boolean requireProvenance,
    @Min(1) @Max(20) Integer minSignatures) {

  public TrustPolicy {
    signers = signers == null ? List.of() : List.copyOf(signers);
    publicKeys = publicKeys == null ? List.of() : List.copyOf(publicKeys);
    builders = builders == null ? List.of() : List.copyOf(builders);
    requireProvenance = Boolean.TRUE.equals(requireProvenance);
    minSignatures = minSignatures == null ? 1 : minSignatures;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Signer(
      @Size(max = 1000) String identity,
      @Size(max = 1000) String identityPattern,
      @NotBlank @Size(max = 1000) String issuer) {

    boolean matches(VerifiedSignature s) {
      if (s.issuer() == null || !issuer.equals(s.issuer())) {
        return false;
      }
      return identity != null
          ? identity.equals(s.identity())
          : Pattern.compile(identityPattern).matcher(s.identity()).matches();
    }
  }

  /**
   * @param name how reasons name the key
   * @param publicKey the PEM public key; policies match signatures by its fingerprint
   */
  public record TrustedKey(
      @NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 10000) String publicKey) {}

  /** Checks what bean validation cannot: one identity form per signer, patterns, keys. */
  void check() {
    for (int i = 0; i < signers.size(); i++) {
      Signer s = signers.get(i);
      if ((s.identity() == null) == (s.identityPattern() == null)) {
        throw ProblemException.invalid(
            "signers[" + i + "]", "give exactly one of identity and identityPattern");
      }
      if (s.identityPattern() != null) {
        try {
          Pattern.compile(s.identityPattern());
        } catch (PatternSyntaxException e) {
          throw ProblemException.invalid(
              "signers[" + i + "].identityPattern", "not a regular expression");
        }
      }
    }
    for (int i = 0; i < publicKeys.size(); i++) {
      try {
        SignatureVerifier.fingerprint(publicKeys.get(i).publicKey());
      } catch (ProblemException e) {
        throw ProblemException.invalid(
            "publicKeys[" + i + "].publicKey", "must be a PEM EC, RSA or Ed25519 public key");
      }
    }
  }
}
