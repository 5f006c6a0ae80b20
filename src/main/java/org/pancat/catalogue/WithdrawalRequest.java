package org.pancat.catalogue;

import org.pancat.problem.ProblemException;

/** Why an entry is withdrawn; withdrawal leaves a tombstone, it never deletes. */
public record WithdrawalRequest(String reason) {
  static final int MAX_REASON = 1000;

  /**
   * The {@code reason} query parameter of a withdrawal, which is required and shown to everyone.
   */
  static WithdrawalRequest of(String reason) {
    if (reason == null || reason.isBlank()) {
      throw ProblemException.invalid("reason", "a withdrawal needs a reason");
    }
    if (reason.length() > MAX_REASON) {
      throw ProblemException.invalid("reason", "at most " + MAX_REASON + " characters");
    }
    return new WithdrawalRequest(reason);
  }
}
