package org.pancat.catalogue;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/** The tombstone columns shared by software, releases and artifacts. */
@Embeddable
@JsonInclude(JsonInclude.Include.NON_NULL)
class Withdrawal {
  @Column(name = "withdrawn_at")
  Instant at;

  @Column(name = "withdrawn_by")
  String by;

  @Column(name = "withdrawn_reason")
  String reason;

  boolean isWithdrawn() {
    return at != null;
  }

  WithdrawalView view() {
    return at == null ? null : new WithdrawalView(at, by, reason);
  }

  /** As shown to readers. */
  record WithdrawalView(Instant at, String by, String reason) {}
}
