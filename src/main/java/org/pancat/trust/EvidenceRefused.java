package org.pancat.trust;

import org.pancat.problem.DomainFailure;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/**
 * Why trust refused a signature or a provenance statement; nothing was stored. An import skips the
 * entry with this reason, an API write answers it as a problem.
 */
public final class EvidenceRefused extends DomainFailure {
  /**
   * What is wrong: a malformed field, evidence that does not fit the artifact, or a bad signature.
   */
  public enum Reason {
    INVALID_FIELD,
    DOES_NOT_FIT,
    DOES_NOT_VERIFY
  }

  private final Reason reason;
  private final String field;

  private EvidenceRefused(Reason reason, String field, String message) {
    super(message);
    this.reason = reason;
    this.field = field;
  }

  static EvidenceRefused invalid(String field, String message) {
    return new EvidenceRefused(Reason.INVALID_FIELD, field, field + ": " + message);
  }

  static EvidenceRefused doesNotFit(String message) {
    return new EvidenceRefused(Reason.DOES_NOT_FIT, null, message);
  }

  static EvidenceRefused doesNotVerify(String why) {
    return new EvidenceRefused(
        Reason.DOES_NOT_VERIFY, null, "the signature does not verify: " + why);
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public ProblemException problem() {
    return switch (reason) {
      case INVALID_FIELD ->
          ProblemException.invalid(field, getMessage().substring(field.length() + 2));
      case DOES_NOT_FIT -> new ProblemException(ProblemType.UNPROCESSABLE, getMessage());
      case DOES_NOT_VERIFY -> new ProblemException(ProblemType.SIGNATURE_INVALID, getMessage());
    };
  }
}
