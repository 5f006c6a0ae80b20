package org.pancat.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The answer of the access decision point, with the reasons a caller or auditor can read and, when
 * the caller could qualify, how (for example the licence to accept).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AccessDecision(boolean granted, List<String> reasons, Map<String, String> how) {
  public AccessDecision {
    reasons = List.copyOf(reasons);
    how = how == null ? Map.of() : Map.copyOf(how);
  }

  static AccessDecision grant(String reason) {
    return new AccessDecision(true, List.of(reason), Map.of());
  }

  static AccessDecision deny(List<String> reasons, Map<String, String> how) {
    return new AccessDecision(false, reasons, how);
  }
}
