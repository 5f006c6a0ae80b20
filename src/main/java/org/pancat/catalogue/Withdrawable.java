package org.pancat.catalogue;

import jakarta.persistence.Embedded;
import jakarta.persistence.MappedSuperclass;

/** What software, releases and artifacts share: they are withdrawn with a tombstone, once. */
@MappedSuperclass
abstract class Withdrawable {
  /**
   * Null when no column is set (Hibernate's reading of an empty embeddable). Protected: Hibernate's
   * bytecode enhancement of the subclasses refuses a package-private embedded field here.
   */
  @Embedded protected Withdrawal withdrawal;

  Withdrawal withdrawal() {
    return withdrawal == null ? Withdrawal.NONE : withdrawal;
  }

  /** Withdraws it, unless it already is: the first tombstone stands. */
  void withdraw(Withdrawal tombstone) {
    if (!withdrawal().isWithdrawn()) {
      withdrawal = tombstone;
    }
  }
}
