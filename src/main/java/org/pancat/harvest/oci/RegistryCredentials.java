package org.pancat.harvest.oci;

import java.util.Objects;

/**
 * Credentials for one registry: exchanged at the registry's token service for bearer tokens
 * (Harbor, GitLab, Distribution with token auth), or sent as Basic when the registry asks for
 * Basic. They are only ever sent over https or to a loopback host.
 */
public record RegistryCredentials(String username, String password) {
  public RegistryCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=***]";
  }
}
