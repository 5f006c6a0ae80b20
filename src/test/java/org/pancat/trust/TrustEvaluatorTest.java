package org.pancat.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pancat.problem.ProblemException;

/** The trust-class rules, without a node. */
class TrustEvaluatorTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final VerifiedSignature CI =
      new VerifiedSignature(
          "sigstore-bundle",
          "https://github.com/esrf/pyfai/.github/workflows/release.yml@refs/tags/v1",
          "https://token.actions.githubusercontent.com",
          NOW,
          NOW);
  private static final VerifiedSignature STAFF =
      new VerifiedSignature("sigstore-bundle", "jane@esrf.fr", "https://login.esrf.fr", NOW, NOW);

  private static TrustPolicy.Signer pattern(String regex, String issuer) {
    return new TrustPolicy.Signer(null, regex, issuer);
  }

  private static TrustResult evaluate(
      TrustPolicy policy, List<VerifiedSignature> sigs, List<ProvenanceEvidence> prov) {
    return TrustEvaluator.evaluate("esrf", policy, 3, sigs, prov, NOW);
  }

  @Test
  void nothingAttachedIsUntrustedWithNoSignature() {
    TrustResult r = evaluate(new TrustPolicy(null, null, null, null, null), List.of(), List.of());
    assertEquals("untrusted", r.trustClass());
    assertEquals(List.of("no signature"), r.reasons());
  }

  @Test
  void aSignerMatchedByPatternAndIssuerIsTrusted() {
    TrustPolicy policy =
        new TrustPolicy(
            List.of(
                pattern(
                    "https://github\\.com/esrf/.*", "https://token.actions.githubusercontent.com")),
            null,
            null,
            null,
            null);
    TrustResult r = evaluate(policy, List.of(CI), List.of());
    assertTrue(r.trusted());
    assertEquals(3, r.policyVersion());
    assertEquals(NOW, r.evaluatedAt());
    // the same identity from another issuer does not match
    VerifiedSignature elsewhere =
        new VerifiedSignature("sigstore-bundle", CI.identity(), "https://evil.example", NOW, NOW);
    assertFalse(evaluate(policy, List.of(elsewhere), List.of()).trusted());
    // the pattern must match the whole identity
    VerifiedSignature prefixed =
        new VerifiedSignature("sigstore-bundle", "x" + CI.identity(), CI.issuer(), NOW, NOW);
    assertFalse(evaluate(policy, List.of(prefixed), List.of()).trusted());
  }

  @Test
  void kOfNCountsDistinctTrustedSigners() {
    TrustPolicy twoOf =
        new TrustPolicy(
            List.of(
                new TrustPolicy.Signer(STAFF.identity(), null, STAFF.issuer()),
                pattern(".*", CI.issuer())),
            null,
            null,
            null,
            2);
    TrustResult one = evaluate(twoOf, List.of(STAFF, STAFF), List.of());
    assertFalse(one.trusted());
    assertTrue(
        one.reasons().contains("1 of 2 required trusted signatures"), one.reasons().toString());
    assertTrue(evaluate(twoOf, List.of(STAFF, CI), List.of()).trusted());
  }

  @Test
  void requiredProvenanceMustBeSignedByAnIdentityBoundToItsBuilder() {
    String builder =
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"
            + "generator_generic_slsa3.yml@refs/tags/v2.1.0";
    String actions = "https://token.actions.githubusercontent.com";
    // the generator signs as its own reusable workflow: the signer identity is the builder id
    VerifiedSignature generator =
        new VerifiedSignature("sigstore-bundle", builder, actions, NOW, NOW);
    TrustPolicy policy =
        new TrustPolicy(
            List.of(new TrustPolicy.Signer(STAFF.identity(), null, STAFF.issuer())),
            null,
            List.of(
                new TrustPolicy.Builder(
                    builder, List.of(new TrustPolicy.Signer(builder, null, actions)))),
            true,
            null);
    TrustResult none = evaluate(policy, List.of(STAFF), List.of());
    assertFalse(none.trusted());

    TrustResult claimed = evaluate(policy, List.of(STAFF), List.of(build(builder, null)));
    assertFalse(claimed.trusted(), "an unsigned statement is a claim");
    assertTrue(
        claimed.reasons().stream().anyMatch(r -> r.contains("unsigned statement: a claim")),
        claimed.reasons().toString());
    assertFalse(claimed.provenance().get(0).trustedBuilder());

    TrustResult impostor = evaluate(policy, List.of(STAFF), List.of(build(builder, CI)));
    assertFalse(impostor.trusted(), "another workflow's signature does not make the builder");
    assertTrue(
        impostor.reasons().stream()
            .anyMatch(r -> r.endsWith("the statement claims a builder it was not signed by")),
        impostor.reasons().toString());

    TrustResult unknown =
        evaluate(policy, List.of(STAFF), List.of(build("https://laptop.example", generator)));
    assertFalse(unknown.trusted());
    assertTrue(
        unknown.reasons().stream()
            .anyMatch(r -> r.endsWith("which is not a trusted builder of esrf")));

    TrustResult r = evaluate(policy, List.of(STAFF), List.of(build(builder, generator)));
    assertTrue(r.trusted(), r.reasons().toString());
    assertTrue(r.provenance().get(0).trustedBuilder());
    assertEquals(generator.describe(), r.provenance().get(0).signedBy());
  }

  @Test
  void aBuilderNamedWithoutSignersNeverCounts() throws Exception {
    String builder = "https://github.com/slsa-framework/slsa-github-generator@v2";
    // how policies were stored before builders were bound to signers
    TrustPolicy old =
        new ObjectMapper()
            .readValue(
                "{\"builders\": [\"" + builder + "\"], \"requireProvenance\": true}",
                TrustPolicy.class);
    assertEquals(List.of(new TrustPolicy.Builder(builder, List.of())), old.builders());
    VerifiedSignature anyone = new VerifiedSignature("sigstore-bundle", builder, "x", NOW, NOW);
    assertFalse(evaluate(old, List.of(), List.of(build(builder, anyone))).trusted());
    ProblemException refused = assertThrows(ProblemException.class, old::check);
    assertEquals("builders[0].signers", refused.errors().get(0).field());
  }

  private static ProvenanceEvidence build(String builder, VerifiedSignature signer) {
    return new ProvenanceEvidence(
        builder, "git+https://github.com/esrf/pyfai", "abc", "jane", signer);
  }

  @Test
  void withoutAPolicyNothingIsTrustedAndTheReasonSaysSo() {
    TrustResult r = TrustEvaluator.evaluate("psi", null, null, List.of(STAFF), List.of(), NOW);
    assertFalse(r.trusted());
    assertNull(r.policyVersion());
    assertEquals(
        List.of(
            "signed by jane@esrf.fr via https://login.esrf.fr",
            "psi has no trust policy on this node"),
        r.reasons());
  }
}
