package org.pancat.access;

import java.util.List;

/** The answer of the access decision point, with the reasons a caller or auditor can read. */
public record AccessDecision(boolean granted, List<String> reasons) {
  public AccessDecision {
    reasons = List.copyOf(reasons);
  }

  static AccessDecision grant(String reason) {
    return new AccessDecision(true, List.of(reason));
  }

  static AccessDecision deny(List<String> reasons) {
    return new AccessDecision(false, reasons);
  }
}
