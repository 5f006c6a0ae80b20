package org.pancat.changelog;

import java.util.List;

/**
 * What this node's operator lets in from the peer a page comes from (its import policy in the peers
 * file), as importers ask it. Federation implements it; what an import may change whatever the
 * policy (the owner rule, the sharing refusal) is decided by {@code access.AccessPolicy}.
 */
public interface ImportPolicy {
  /** Whether software and artifacts of this facility are imported from the peer. */
  boolean acceptsFacility(String facilityId);

  /** Whether artifacts of this sharing class are imported from the peer. */
  boolean acceptsSharing(String sharingClass);

  /** Whether software tagged with these technique concepts (IRIs) is imported from the peer. */
  boolean acceptsTechniques(List<String> techniques);

  /**
   * Whether artifacts are stored but held (hidden from every read) until this node's trust policy
   * judges them trusted, as their signatures and provenance arrive.
   */
  boolean trustedOnly();
}
