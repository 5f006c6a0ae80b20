package org.pancat.federation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The origins a node pins (those of its peers file), signed by that node: what a peer that lets it
 * vouch pins in turn for an origin it does not know.
 *
 * @param node the node that vouches
 */
record OriginList(String node, Instant at, List<Origin> origins) {
  /**
   * @param keys the pinned fingerprints
   * @param jwks the public keys the vouching node holds of the origin (JWK set), or null
   */
  record Origin(String id, List<String> keys, Map<String, Object> jwks) {}
}
