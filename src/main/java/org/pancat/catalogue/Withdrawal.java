package org.pancat.catalogue;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/**
 * The tombstone columns shared by software, releases and artifacts. Set once, as a whole, by the
 * entity's {@code withdraw}; never changed in place, so reading an entity never makes it dirty.
 */
@Embeddable
class Withdrawal {
  /** What an entity that was never withdrawn reads (Hibernate loads all-null columns as null). */
  static final Withdrawal NONE = new Withdrawal();

  @Column(name = "withdrawn_at")
  private Instant at;

  @Column(name = "withdrawn_by")
  private String by;

  @Column(name = "withdrawn_reason")
  private String reason;

  protected Withdrawal() {}

  Withdrawal(Instant at, String by, String reason) {
    this.at = at;
    this.by = by;
    this.reason = reason;
  }

  boolean isWithdrawn() {
    return at != null;
  }

  WithdrawalView view() {
    return at == null ? null : new WithdrawalView(at, by, reason);
  }

  /** As shown to readers. */
  record WithdrawalView(Instant at, String by, String reason) {}
}
