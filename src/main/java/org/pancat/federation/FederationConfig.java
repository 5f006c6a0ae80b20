package org.pancat.federation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** This node's identity in the federation ({@code pancat.federation.*}). */
@ConfigMapping(prefix = "pancat.federation")
public interface FederationConfig {

  Node node();

  /**
   * The peers file (YAML): which nodes this one pulls and trusts, with pinned key fingerprints and
   * import policies. A missing file means no peers. See {@code federation-config/README.md}.
   */
  @WithDefault("./federation-config/peers.yaml")
  String peersFile();

  /**
   * How often the peers file is checked for changes (a changed file is validated and applied
   * without a restart; a broken one is refused and the running configuration kept). Zero: only on
   * {@code POST /api/v1/federation/peers/reload}.
   */
  @WithDefault("PT5S")
  Duration peersFileCheck();

  /** Entries asked for per feed page when pulling. */
  @WithDefault("500")
  int pageSize();

  /** Timeout of each request to a peer. */
  @WithDefault("PT10S")
  Duration peerTimeout();

  /**
   * Whether a peer this node has never pulled is started from its snapshot (the latest entry of
   * every key, verified like a feed page) instead of from the beginning of its feed; pulls go on
   * from the snapshot's seq.
   */
  @WithDefault("true")
  boolean bootstrapFromSnapshot();

  /** Whether to ask peers to pull right after each commit (POST /federation/notify). */
  @WithDefault("true")
  boolean notifyPeers();

  interface Node {
    /**
     * The node id entries it originates carry forever (e.g. {@code esrf}). Without it the node uses
     * the id generated into the key directory on first start.
     */
    Optional<String> id();

    /** A human name for the node. */
    @WithDefault("pancat node")
    String name();

    /** The URL peers reach this node at. */
    @WithDefault("http://localhost:8080")
    String baseUrl();

    /** Where the node's EC P-256 signing keys live (generated on first start). */
    @WithDefault("./data/node-key")
    String keyDir();

    /** How long a retired key stays published after rotation, so entries it signed verify. */
    @WithDefault("P365D")
    Duration retiredKeyValidity();
  }
}
