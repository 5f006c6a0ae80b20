package org.pancat.trust;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes an artifact's trust class from its facility's policy and the verified evidence. Pure:
 * the same inputs give the same result, so re-evaluation after a policy change is exact.
 */
public final class TrustEvaluator {
  private TrustEvaluator() {}

  /**
   * @param policy the facility's policy, or null when this node has none for it
   * @param signatures signatures that verified over the artifact's digest
   */
  public static TrustResult evaluate(
      String facility,
      TrustPolicy policy,
      Integer policyVersion,
      List<VerifiedSignature> signatures,
      List<ProvenanceEvidence> provenance,
      Instant now) {
    if (signatures.isEmpty() && provenance.isEmpty()) {
      return new TrustResult(
          TrustResult.UNTRUSTED,
          List.of("no signature"),
          List.of(),
          List.of(),
          policy == null ? null : policyVersion,
          now);
    }
    List<String> reasons = new ArrayList<>();
    List<TrustResult.SignerView> signers = new ArrayList<>();
    Set<String> trustedSigners = new LinkedHashSet<>();
    // key fingerprint -> the policy's name for it, computed once per evaluation
    Map<String, String> trustedKeys = new HashMap<>();
    if (policy != null) {
      policy
          .publicKeys()
          .forEach(
              k -> trustedKeys.putIfAbsent(SignatureVerifier.fingerprint(k.publicKey()), k.name()));
    }
    for (VerifiedSignature s : signatures) {
      String key = s.issuer() == null ? trustedKeys.get(s.identity()) : null;
      boolean trusted =
          policy != null
              && (key != null || policy.signers().stream().anyMatch(rule -> rule.matches(s)));
      String who = key != null ? "key " + key + " (" + s.identity() + ")" : s.describe();
      if (trusted) {
        trustedSigners.add(s.identity() + "\n" + s.issuer());
        reasons.add("signed by " + who);
      } else {
        reasons.add(
            "signed by "
                + who
                + (policy == null ? "" : ", which is not a trusted signer of " + facility));
      }
      signers.add(
          new TrustResult.SignerView(
              s.kind(), s.identity(), s.issuer(), key, trusted, s.signedAt(), s.verifiedAt()));
    }
    if (signatures.isEmpty()) {
      reasons.add("no signature");
    }
    List<TrustResult.ProvenanceSummary> builds = new ArrayList<>();
    boolean trustedBuild = false;
    for (ProvenanceEvidence p : provenance) {
      Optional<TrustPolicy.Builder> named =
          policy == null || p.builderId() == null
              ? Optional.empty()
              : policy.builders().stream().filter(b -> b.id().equals(p.builderId())).findFirst();
      boolean trustedBuilder = named.isPresent() && named.get().signedBy(p.signer());
      trustedBuild |= trustedBuilder;
      String signedBy = p.signer() == null ? null : p.signer().describe();
      builds.add(
          new TrustResult.ProvenanceSummary(
              p.builderId(),
              p.sourceRepository(),
              p.sourceCommit(),
              p.triggeredBy(),
              signedBy,
              trustedBuilder));
      reasons.add(
          "built by "
              + (p.builderId() == null ? "an unnamed builder" : p.builderId())
              + (p.sourceRepository() == null ? "" : " from " + p.sourceRepository())
              + (p.sourceCommit() == null ? "" : " at " + p.sourceCommit())
              + (signedBy == null
                  ? " (unsigned statement: a claim, which does not count toward trust)"
                  : " (signed by " + signedBy + ")")
              + builderVerdict(facility, policy, named, p, trustedBuilder));
    }
    boolean trusted = policy != null;
    if (policy == null) {
      reasons.add(facility + " has no trust policy on this node");
    } else {
      if (trustedSigners.size() < policy.minSignatures()) {
        trusted = false;
        if (policy.minSignatures() > 1 || !trustedSigners.isEmpty()) {
          reasons.add(
              trustedSigners.size()
                  + " of "
                  + policy.minSignatures()
                  + " required trusted signatures");
        } else {
          reasons.add("no signature by a trusted signer of " + facility);
        }
      }
      if (policy.requireProvenance() && !trustedBuild) {
        trusted = false;
        reasons.add(
            facility
                + " requires provenance from a trusted builder, signed by an identity its policy"
                + " binds to that builder, and there is none");
      }
    }
    return new TrustResult(
        trusted ? TrustResult.TRUSTED : TrustResult.UNTRUSTED,
        List.copyOf(reasons),
        List.copyOf(signers),
        List.copyOf(builds),
        policy == null ? null : policyVersion,
        now);
  }

  private static String builderVerdict(
      String facility,
      TrustPolicy policy,
      Optional<TrustPolicy.Builder> named,
      ProvenanceEvidence p,
      boolean trustedBuilder) {
    if (policy == null || trustedBuilder || p.signer() == null) {
      return "";
    }
    if (named.isEmpty()) {
      return ", which is not a trusted builder of " + facility;
    }
    return ", but "
        + facility
        + "'s policy does not accept that signer for this builder: the statement claims a"
        + " builder it was not signed by";
  }
}
