package org.pancat.access;

import java.util.List;
import java.util.Map;
import org.pancat.problem.DomainFailure;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/**
 * Why a request's credentials were not accepted: a token or a node signature that does not verify
 * (401 with the challenge to answer), or an issuer whose keys cannot be fetched right now (503).
 */
public final class AuthenticationRefused extends DomainFailure {
  private final String challenge;

  private AuthenticationRefused(String detail, String challenge) {
    super(detail);
    this.challenge = challenge;
  }

  /**
   * @param challenge the {@code WWW-Authenticate} value telling the caller how to authenticate
   */
  public static AuthenticationRefused refused(String detail, String challenge) {
    return new AuthenticationRefused(detail, challenge);
  }

  /** The credentials could not be checked: the issuer's keys are out of reach. */
  public static AuthenticationRefused issuerUnavailable(String detail) {
    return new AuthenticationRefused(detail, null);
  }

  @Override
  public ProblemException problem() {
    return challenge == null
        ? new ProblemException(ProblemType.SERVICE_UNAVAILABLE, getMessage())
        : new ProblemException(
            ProblemType.UNAUTHORIZED,
            getMessage(),
            List.of(),
            Map.of(),
            Map.of("WWW-Authenticate", challenge));
  }
}
