package org.pancat.catalogue;

import java.util.List;
import java.util.Map;
import org.pancat.problem.DomainFailure;
import org.pancat.problem.Problem;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/**
 * Why an artifact document was refused (from an API write or a peer); nothing was stored. An import
 * skips the entry with this reason, an API write answers it as a problem.
 */
final class ArtifactRefused extends DomainFailure {
  private enum Reason {
    INVALID_FIELD,
    INVALID_LABEL,
    DOES_NOT_FIT
  }

  private final Reason reason;
  private final String field;
  private final String fieldMessage;

  private ArtifactRefused(Reason reason, String field, String fieldMessage, String message) {
    super(message);
    this.reason = reason;
    this.field = field;
    this.fieldMessage = fieldMessage;
  }

  static ArtifactRefused invalid(String field, String message) {
    return new ArtifactRefused(Reason.INVALID_FIELD, field, message, field + ": " + message);
  }

  static ArtifactRefused label(String label, String why) {
    return new ArtifactRefused(
        Reason.INVALID_LABEL, "labels." + label, why, "label " + label + " is refused: " + why);
  }

  static ArtifactRefused doesNotFit(String message) {
    return new ArtifactRefused(Reason.DOES_NOT_FIT, null, null, message);
  }

  @Override
  public ProblemException problem() {
    return switch (reason) {
      case INVALID_FIELD -> ProblemException.invalid(field, fieldMessage);
      case INVALID_LABEL ->
          new ProblemException(
              ProblemType.INVALID_LABEL,
              getMessage(),
              List.of(new Problem.FieldError(field, fieldMessage)),
              Map.of(),
              Map.of());
      case DOES_NOT_FIT -> new ProblemException(ProblemType.UNPROCESSABLE, getMessage());
    };
  }
}
