package org.pancat.changelog;

import org.pancat.kernel.EntityKind;

/**
 * Fired for every appended change inside the writing transaction. Observe it with {@code during =
 * TransactionPhase.AFTER_SUCCESS} to act once the change is committed (outbox consumers).
 *
 * @param origin the node a change imported from a peer was made on; null for this node's own
 * @param actor who made it (a harvest source writes as {@code urn:pancat:harvest#source/<id>})
 */
public record ChangeAppended(long seq, EntityKind kind, String id, String origin, String actor) {}
