package org.pancat.trust;

/**
 * What an attached provenance statement says about a build (already bound to the digest), and who
 * signed it.
 *
 * @param signer the verified signer when the statement came in a Sigstore bundle that verified;
 *     null for a plain statement or a bare DSSE envelope, which are claims and never count
 */
public record ProvenanceEvidence(
    String builderId,
    String sourceRepository,
    String sourceCommit,
    String triggeredBy,
    VerifiedSignature signer) {}
