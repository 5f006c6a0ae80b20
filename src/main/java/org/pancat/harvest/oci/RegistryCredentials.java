package org.pancat.harvest.oci;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Credentials for one registry: exchanged at the registry's token service for bearer tokens
 * (Harbor, GitLab, Distribution with token auth), or sent as Basic when the registry asks for
 * Basic. They are only ever sent over https or to a loopback host.
 */
public record RegistryCredentials(String username, String password, List<String> hosts) {
  public RegistryCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    hosts =
        hosts == null ? List.of() : hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  public RegistryCredentials(String username, String password) {
    this(username, password, List.of());
  }

  /**
   * Whether they may be sent to {@code host}: one of {@code hosts} (the registry and its token
   * service), or the registry itself when none are named.
   */
  boolean mayGoTo(String host, String registryHost) {
    String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
    return hosts.isEmpty() ? h.equals(registryHost.toLowerCase(Locale.ROOT)) : hosts.contains(h);
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=***, hosts=" + hosts + "]";
  }
}
