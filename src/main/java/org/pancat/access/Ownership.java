package org.pancat.access;

/**
 * Who owns an entry (a facility, a licence) that a change from a peer is about, as this node knows
 * it: not here yet, this node's own ({@code origin} null), or the node it was first imported from.
 */
public record Ownership(boolean known, String origin) {
  public static final Ownership UNKNOWN = new Ownership(false, null);

  /** A known entry: {@code origin} is the node it was imported from, null for a local one. */
  public static Ownership of(String origin) {
    return new Ownership(true, origin);
  }
}
