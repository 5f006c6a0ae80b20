package org.pancat.problem;

/**
 * A feature's typed failure. Inside the feature it is caught and handled as itself (an import skips
 * the entry with its reason); leaving a resource, {@link ProblemMappers} answers it as the problem
 * it describes. Its message follows the same rule as a problem's detail: safe to show.
 */
public abstract class DomainFailure extends RuntimeException {
  protected DomainFailure(String message) {
    super(message, null, false, false);
  }

  /** The problem document this failure is answered with at the HTTP edge. */
  public abstract ProblemException problem();
}
