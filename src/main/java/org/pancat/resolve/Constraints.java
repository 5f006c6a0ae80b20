package org.pancat.resolve;

import java.util.List;

/** What the portal insists on; empty lists mean "any". */
public record Constraints(
    boolean trustedOnly,
    List<String> facilities,
    List<String> runtimes,
    List<String> kinds,
    List<String> licences) {

  public static final Constraints NONE = new Constraints(false, null, null, null, null);

  public Constraints {
    facilities = facilities == null ? List.of() : List.copyOf(facilities);
    runtimes = runtimes == null ? List.of() : List.copyOf(runtimes);
    kinds = kinds == null ? List.of() : List.copyOf(kinds);
    licences = licences == null ? List.of() : List.copyOf(licences);
  }
}
