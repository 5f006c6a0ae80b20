package org.pancat.changelog;

/**
 * Fired for every appended change inside the writing transaction. Observe it with {@code during =
 * TransactionPhase.AFTER_SUCCESS} to act once the change is committed (outbox consumers).
 *
 * @param origin the node a change imported from a peer was made on; null for this node's own
 */
public record ChangeAppended(long seq, String entity, String id, String origin) {}
