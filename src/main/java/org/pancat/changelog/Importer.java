package org.pancat.changelog;

import java.util.List;
import java.util.Set;
import org.pancat.kernel.EntityKind;

/**
 * A feature that takes changes of its kinds from peer nodes. Federation verifies a page, then hands
 * each entry to the importer of its kind, in order and in one transaction; a feature with a new
 * importable kind implements this as a CDI bean and federation finds it, unchanged.
 */
public interface Importer {
  /** The kinds this importer applies; no two importers share one. */
  Set<EntityKind> kinds();

  /**
   * Starts importing a page: reads up front, in a few queries, what the page's changes (all of
   * them, not only this importer's kinds) are about. The batch lives for the caller's transaction.
   */
  Batch begin(List<Change> page, ImportPolicy policy);

  /** One page being imported. */
  interface Batch {
    /**
     * Applies one verified change of one of the importer's kinds from {@code change.origin()},
     * within the caller's transaction, or says why it is skipped. Never throws for a change that is
     * malformed or not allowed here: that is a skip with its reason.
     */
    ImportOutcome apply(Change change);
  }
}
