package org.pancat.federation;

/** A feed page refused whole; the reason is shown on the peer's status. Nothing of it applies. */
public class FeedRejected extends Exception {
  private final boolean unknownKey;

  public FeedRejected(String reason) {
    this(reason, false);
  }

  FeedRejected(String reason, boolean unknownKey) {
    super(reason, null, false, false);
    this.unknownKey = unknownKey;
  }

  /** Signed with a key id the reader does not hold: fetching the keys again may help. */
  public boolean unknownKey() {
    return unknownKey;
  }
}
