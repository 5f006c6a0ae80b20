package org.pancat.trust;

/**
 * Fired synchronously inside the transaction that changed a facility's policy, so the artifacts it
 * governs are re-evaluated in that same transaction (and their new trust reaches the change log).
 */
public record TrustPolicyChanged(String facility, String actor) {}
