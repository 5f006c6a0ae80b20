package org.pancat.harvest;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/** Whether a source may make the node read a URL: its host on the operator's allowed list. */
final class SourceHosts {
  private SourceHosts() {}

  static boolean allowed(HarvestConfig config, String url) {
    try {
      return allowedHost(config, URI.create(url).getHost());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static boolean allowedHost(HarvestConfig config, String host) {
    List<String> allowed = config.allowedHosts().orElse(List.of());
    if (allowed.isEmpty()) {
      return true;
    }
    if (host == null) {
      return false;
    }
    String name = host.toLowerCase(Locale.ROOT);
    return allowed.stream()
        .map(a -> a.strip().toLowerCase(Locale.ROOT))
        .anyMatch(a -> a.startsWith("*.") ? name.endsWith(a.substring(1)) : name.equals(a));
  }

  /** Refuses the run when the URL's host is not allowed (the operator's list changed since). */
  static void require(HarvestConfig config, String url) {
    if (!allowed(config, url)) {
      throw new HarvestRefused(
          "the node does not read "
              + URI.create(url).getHost()
              + ": it is not in pancat.harvest.allowed-hosts");
    }
  }
}
