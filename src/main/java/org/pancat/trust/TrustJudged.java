package org.pancat.trust;

/**
 * Fired synchronously, inside the transaction, each time an artifact's trust is evaluated, so the
 * catalogue can hold or release an artifact imported under a trusted-only policy in that same
 * transaction.
 */
public record TrustJudged(String artifactId, boolean trusted) {}
