package org.pancat.kernel;

/**
 * This node's id in the federation: what its own entries carry as their origin forever. Federation
 * owns it (with the node's keys, {@code pancat.federation.node.*}); any feature may ask it.
 */
public interface NodeIdentity {
  String nodeId();
}
