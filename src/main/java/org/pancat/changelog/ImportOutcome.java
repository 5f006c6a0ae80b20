package org.pancat.changelog;

/**
 * What became of one change imported from another node: applied (stored and appended to this node's
 * log, so it is relayed on), or skipped with the reason (a local entry is never overwritten;
 * another origin owns it; this node's import policy leaves it out; what it refers to was not
 * imported; a signature that does not verify here).
 */
public record ImportOutcome(boolean applied, String reason) {
  public static final ImportOutcome APPLIED = new ImportOutcome(true, null);

  public static ImportOutcome skipped(String reason) {
    return new ImportOutcome(false, reason);
  }
}
