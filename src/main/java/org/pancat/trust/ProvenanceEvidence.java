package org.pancat.trust;

/**
 * What an attached provenance statement says about a build (already bound to the digest).
 *
 * @param signedBy the verified signer when the statement came in a Sigstore bundle, else null
 */
public record ProvenanceEvidence(
    String builderId,
    String sourceRepository,
    String sourceCommit,
    String triggeredBy,
    String signedBy) {}
