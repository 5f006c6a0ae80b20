package org.pancat.harvest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Harvesting: how sources run, their limits, and the credentials they may name. */
@ConfigMapping(prefix = "pancat.harvest")
public interface HarvestConfig {
  /** Whether sources run by themselves on their interval (on-demand runs work either way). */
  @WithDefault("true")
  boolean scheduled();

  /** How often the node looks for sources that are due. */
  @WithDefault("PT1M")
  Duration checkEvery();

  /** How often a source without its own {@code interval} runs. */
  @WithDefault("PT6H")
  Duration defaultInterval();

  /** How many sources run at the same time on this node. */
  @WithDefault("2")
  int concurrentRuns();

  /** A run that goes longer stops at its next item (interrupted; the next run goes on). */
  @WithDefault("PT2H")
  Duration maxRunDuration();

  /** Each request to a registry or repository must answer within this. */
  @WithDefault("PT30S")
  Duration requestTimeout();

  /** The largest response read from a source (an index, a manifest, a Packages file). */
  @WithDefault("67108864")
  long maxResponseBytes();

  /** A run's report lists at most this many items (every count stays exact). */
  @WithDefault("2000")
  int reportItems();

  /** Runs kept per source; older ones are deleted when a run ends. */
  @WithDefault("50")
  int runsKept();

  /**
   * The hosts sources may read (a name, or {@code *.example.org} for its subdomains); any host when
   * absent. A production node sets it, so that a publisher cannot make the node read an internal
   * address.
   */
  Optional<List<String>> allowedHosts();

  /**
   * Credentials a source may name ({@code credentials: <name>}), e.g. {@code
   * pancat.harvest.credentials.esrf-harbor.username}, {@code ...password} (set it from the
   * environment: {@code PANCAT_HARVEST_CREDENTIALS_ESRF_HARBOR_PASSWORD}) and {@code ...facility}:
   * only sources of that facility may use them.
   */
  Map<String, Credentials> credentials();

  interface Credentials {
    String facility();

    /**
     * The hosts they may be sent to: the registry's, and its token service's when that is another
     * host (GitLab's, for instance). Never to any other, whatever a registry answers.
     */
    List<String> hosts();

    String username();

    String password();
  }
}
