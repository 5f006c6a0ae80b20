package org.pancat.trust;

/**
 * What trust needs to know of facilities: that one exists before its policy is read or written. The
 * catalogue, which owns facilities, implements it; trust does not depend on the catalogue.
 */
public interface FacilityDirectory {
  /** Throws the catalogue's not-found problem when no facility has this id. */
  void requireFacility(String id);
}
