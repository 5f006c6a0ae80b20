package org.pancat.trust;

import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/** Why a signature was refused, as a 422 problem; nothing is stored. */
final class SignatureRejection {
  private SignatureRejection() {}

  static ProblemException of(String reason) {
    return new ProblemException(
        ProblemType.SIGNATURE_INVALID, "the signature does not verify: " + reason);
  }
}
