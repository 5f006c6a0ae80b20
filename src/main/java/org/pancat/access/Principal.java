package org.pancat.access;

import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as established from a verified bearer token. Anonymous callers have no subject.
 */
public record Principal(
    String subject,
    String issuer,
    Optional<String> facility,
    Set<String> groups,
    Set<String> roles,
    Optional<String> location) {

  public static final String ROLE_PUBLISHER = "publisher";
  public static final String ROLE_ADMIN = "admin";

  /** A peer node's service account: may read this node's federation feed. */
  public static final String ROLE_PEER = "peer";

  private static final Principal ANONYMOUS =
      new Principal(null, null, Optional.empty(), Set.of(), Set.of(), Optional.empty());

  public Principal {
    groups = Set.copyOf(groups);
    roles = Set.copyOf(roles);
  }

  /** The issuer of the principals harvests write as: never one of a configured token issuer. */
  public static final String HARVEST_ISSUER = "urn:pancat:harvest";

  /**
   * Who a harvest source writes as: a publisher of the source's facility, nothing more, so its
   * writes go through the same checks as a publisher's and are attributed to the source.
   */
  public static Principal harvester(String sourceId, String facility) {
    return new Principal(
        "source/" + sourceId,
        HARVEST_ISSUER,
        Optional.of(facility),
        Set.of(),
        Set.of(ROLE_PUBLISHER),
        Optional.empty());
  }

  /** Whether {@code actor} (as {@link #actor()} writes it) is a harvest source. */
  public static boolean isHarvester(String actor) {
    return actor != null && actor.startsWith(HARVEST_ISSUER + "#");
  }

  public static Principal anonymous() {
    return ANONYMOUS;
  }

  public boolean isAnonymous() {
    return subject == null;
  }

  public boolean isAdmin() {
    return roles.contains(ROLE_ADMIN);
  }

  public boolean isPeer() {
    return roles.contains(ROLE_PEER);
  }

  public boolean isPublisher() {
    return roles.contains(ROLE_PUBLISHER);
  }

  public boolean belongsTo(String facilityId) {
    return facility.map(facilityId::equals).orElse(false);
  }

  /** How writes are attributed in the change log: issuer and subject, unambiguous across IdPs. */
  public String actor() {
    return isAnonymous() ? "anonymous" : issuer + "#" + subject;
  }
}
