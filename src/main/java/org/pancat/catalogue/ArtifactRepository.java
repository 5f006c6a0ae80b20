package org.pancat.catalogue;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.function.Supplier;
import org.hibernate.Session;

/**
 * Artifacts. Every read through it (and every other query of {@link ArtifactEntity}) sees only
 * visible artifacts; imports, trust re-evaluation and the operator's list of held artifacts see
 * held ones by asking for them explicitly ({@link #includingHeld}).
 */
@ApplicationScoped
class ArtifactRepository implements PanacheRepositoryBase<ArtifactEntity, String> {

  /** Runs {@code work} with held artifacts visible, in the current session. */
  <T> T includingHeld(Supplier<T> work) {
    Session session = getEntityManager().unwrap(Session.class);
    if (session.getEnabledFilter(ArtifactEntity.VISIBLE) == null) {
      return work.get();
    }
    session.disableFilter(ArtifactEntity.VISIBLE);
    try {
      return work.get();
    } finally {
      session.enableFilter(ArtifactEntity.VISIBLE);
    }
  }

  /** A visible artifact of the release, locked for a write. */
  Optional<ArtifactEntity> ofRelease(long releaseId, String artifactId) {
    return findByIdOptional(artifactId, LockModeType.PESSIMISTIC_WRITE)
        .filter(a -> a.releaseId.equals(releaseId));
  }

  /** The release's artifacts in publishing order. */
  PanacheQuery<ArtifactEntity> ofRelease(long releaseId) {
    return find("releaseId", Sort.by("publishedAt").and("id"), releaseId);
  }

  /** The artifact of the release with this kind and pull reference, locked for a write. */
  Optional<ArtifactEntity> samePullReference(long releaseId, String kind, String reference) {
    return find("releaseId = ?1 and kind = ?2 and reference = ?3", releaseId, kind, reference)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResultOptional();
  }
}
