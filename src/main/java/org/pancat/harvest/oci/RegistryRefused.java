package org.pancat.harvest.oci;

/**
 * The registry could not be read, or its answer was refused. The reason is a sentence of ours, safe
 * to show to an operator: it never holds a response body, a token or a password.
 */
public final class RegistryRefused extends Exception {
  private static final long serialVersionUID = 1L;
  private final String reason;

  public RegistryRefused(String reason) {
    super(reason);
    this.reason = reason;
  }

  /** With the I/O failure behind it (JDK HTTP client exceptions carry no headers or bodies). */
  public RegistryRefused(String reason, Throwable cause) {
    super(reason, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
