package org.pancat.federation;

/** A feed page refused whole; the reason is shown on the peer's status. Nothing of it applies. */
public class FeedRejected extends Exception {
  public FeedRejected(String reason) {
    super(reason, null, false, false);
  }
}
