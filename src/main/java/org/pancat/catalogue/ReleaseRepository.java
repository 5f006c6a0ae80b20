package org.pancat.catalogue;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Releases of a software. */
@ApplicationScoped
class ReleaseRepository implements PanacheRepositoryBase<ReleaseEntity, Long> {

  Optional<ReleaseEntity> of(String softwareId, String version) {
    return find("softwareId = ?1 and version = ?2", softwareId, version).firstResultOptional();
  }

  /** The release, locked for a write. */
  Optional<ReleaseEntity> forUpdate(String softwareId, String version) {
    return find("softwareId = ?1 and version = ?2", softwareId, version)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResultOptional();
  }

  /** The version of the software's release that is {@code version} but for case, if any. */
  Optional<String> versionIgnoringCase(String softwareId, String version) {
    return find(
            "softwareId = ?1 and lower(version) = ?2", softwareId, version.toLowerCase(Locale.ROOT))
        .firstResultOptional()
        .map(r -> r.version);
  }

  /** The software's releases, newest first (ids grow in publishing order). */
  PanacheQuery<ReleaseEntity> newestFirst(String softwareId) {
    return find("softwareId", Sort.descending("id"), softwareId);
  }

  List<String> versionsNewestFirst(String softwareId) {
    return getEntityManager()
        .createQuery(
            "select r.version from ReleaseEntity r where r.softwareId = :id order by r.id desc",
            String.class)
        .setParameter("id", softwareId)
        .getResultList();
  }
}
