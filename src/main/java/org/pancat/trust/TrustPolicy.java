package org.pancat.trust;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
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
 * @param builders SLSA builders whose provenance counts, each bound to the identities that may sign
 *     for it (a statement only claims its builder; the signature proves who made it)
 * @param requireProvenance whether trusted also needs signed provenance from one of {@code
 *     builders}
 * @param minSignatures how many distinct trusted signers must have signed (k of n, default 1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrustPolicy(
    @Size(max = 100) List<@NotNull @Valid Signer> signers,
    @Size(max = 100) List<@NotNull @Valid TrustedKey> publicKeys,
    @Size(max = 100) List<@NotNull @Valid Builder> builders,
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
   * A builder whose provenance counts toward trust, and who may sign for it. As slsa-verifier binds
   * a builder id to the signing workflow's certificate identity, a statement naming {@code id}
   * counts only when its verified signer matches one of {@code signers}: the slsa-github-generator
   * builders sign as their own reusable workflow, so there the signer is the builder id itself;
   * GitHub's attest-build-provenance signs as the calling workflow.
   *
   * <p>A bare string (how policies named builders before signers were bound) reads as a builder
   * with no signer, which no statement can satisfy; a new policy must name its signers.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Builder(
      @NotBlank @Size(max = 1000) String id, @Size(max = 20) List<@NotNull @Valid Signer> signers) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public Builder(@JsonProperty("id") String id, @JsonProperty("signers") List<Signer> signers) {
      this.id = id;
      this.signers = signers == null ? List.of() : List.copyOf(signers);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Builder unbound(String id) {
      return new Builder(id, List.of());
    }

    /** Whether {@code signer}, verified, may sign provenance for this builder. */
    boolean signedBy(VerifiedSignature signer) {
      return signer != null && signers.stream().anyMatch(rule -> rule.matches(signer));
    }
  }

  /**
   * @param name how reasons name the key
   * @param publicKey the PEM public key; policies match signatures by its fingerprint
   */
  public record TrustedKey(
      @NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 10000) String publicKey) {}

  /**
   * Checks what bean validation cannot: one identity form per signer, patterns, keys, and a signer
   * for every builder.
   */
  void check() {
    for (int i = 0; i < signers.size(); i++) {
      checkSigner("signers[" + i + "]", signers.get(i));
    }
    for (int i = 0; i < builders.size(); i++) {
      Builder b = builders.get(i);
      if (b.signers().isEmpty()) {
        throw ProblemException.invalid(
            "builders[" + i + "].signers",
            "name the identities that may sign provenance for builder "
                + b.id()
                + ": a statement that merely names a builder proves nothing");
      }
      for (int j = 0; j < b.signers().size(); j++) {
        checkSigner("builders[" + i + "].signers[" + j + "]", b.signers().get(j));
      }
    }
    checkKeys();
  }

  private void checkKeys() {
    for (int i = 0; i < publicKeys.size(); i++) {
      try {
        SignatureVerifier.fingerprint(publicKeys.get(i).publicKey());
      } catch (EvidenceRefused e) {
        throw ProblemException.invalid(
            "publicKeys[" + i + "].publicKey", "must be a PEM EC, RSA or Ed25519 public key");
      }
    }
  }

  private static void checkSigner(String field, Signer s) {
    if ((s.identity() == null) == (s.identityPattern() == null)) {
      throw ProblemException.invalid(field, "give exactly one of identity and identityPattern");
    }
    if (s.identityPattern() != null) {
      try {
        Pattern.compile(s.identityPattern());
      } catch (PatternSyntaxException e) {
        throw ProblemException.invalid(field + ".identityPattern", "not a regular expression");
      }
    }
  }
}
