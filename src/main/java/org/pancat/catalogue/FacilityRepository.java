package org.pancat.catalogue;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Facilities. */
@ApplicationScoped
class FacilityRepository implements PanacheRepositoryBase<FacilityEntity, String> {}
