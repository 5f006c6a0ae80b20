package org.pancat.harvest;

import org.pancat.problem.DomainFailure;
import org.pancat.problem.ProblemException;

/**
 * Why an item of a source (or the whole source) is not written: a sentence of ours, safe to show,
 * recorded in the run's report.
 */
final class HarvestRefused extends DomainFailure {
  HarvestRefused(String reason) {
    super(reason);
  }

  @Override
  public ProblemException problem() {
    return ProblemException.conflict(getMessage());
  }
}
