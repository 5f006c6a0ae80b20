package org.pancat.access;

import java.util.Optional;

/** What the access decision needs to know about licences: has this caller accepted this one. */
public interface LicenceAcceptances {

  /**
   * Whether {@code principal} accepted {@code licenceId} in {@code version}, or in its current
   * version when {@code version} is null.
   */
  LicenceStatus status(Principal principal, String licenceId, String version);

  /** The licence's current version on this node, or empty when the node does not know it. */
  Optional<String> currentVersion(String licenceId);

  /** Whether the condition holds, and the version it requires (null: the licence is unknown). */
  record LicenceStatus(boolean accepted, String requiredVersion) {}
}
