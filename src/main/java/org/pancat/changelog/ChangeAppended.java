package org.pancat.changelog;

/**
 * Fired for every appended change inside the writing transaction. Observe it with {@code during =
 * TransactionPhase.AFTER_SUCCESS} to act once the change is committed (outbox consumers).
 */
public record ChangeAppended(long seq, String entity, String id) {}
