package org.pancat.harvest.apt;

/**
 * Why a harvest of the repository stops: a sentence of ours, safe to show (no stack trace, no class
 * name, nothing of the repository's response body).
 */
public final class AptRefused extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public AptRefused(String reason) {
    super(reason, null, false, false);
    this.reason = reason;
  }

  /** The sentence. */
  public String reason() {
    return reason;
  }
}
