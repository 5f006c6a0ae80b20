package org.pancat.federation;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A peer as the status endpoint and metrics show it.
 *
 * @param state how the last pull went
 * @param interval between scheduled pulls (ISO-8601)
 * @param peerHead the peer's head as of the last page it served, applied or refused
 * @param entriesBehind the peer's head minus this node's cursor, as of the last page it served
 * @param heldEntries entries of the peer's feed on hold: their origin cannot be verified here yet
 *     (they are applied, in order, once it can; later entries of that origin wait behind them)
 * @param heldReason why the first of them is held
 * @param pullsFromHere whether the peer reads this node's feed (only such peers are notified of new
 *     changes)
 * @param lagSeconds time since this node last reached the peer's head (up to one interval when
 *     healthy; grows while the peer is down or its pages are refused)
 */
public record PeerStatus(
    String id,
    String name,
    String baseUrl,
    boolean pull,
    State state,
    String interval,
    long cursor,
    long peerHead,
    long entriesBehind,
    @Schema(nullable = true) Long lagSeconds,
    @Schema(nullable = true) Instant lastSuccess,
    @Schema(nullable = true) Instant lastError,
    @Schema(nullable = true) String lastErrorReason,
    long applied,
    long skipped,
    long refusedPages,
    @Schema(nullable = true) Long bootstrapSeq,
    long heldEntries,
    @Schema(nullable = true) String heldReason,
    boolean pullsFromHere) {

  /** How the last pull of a peer went. */
  public enum State {
    /** Its last page applied (or it was never pulled yet). */
    ok,
    /** Its last page was refused: it does not verify or does not follow from this node's cursor. */
    refusing,
    /** It could not be reached. */
    unreachable,
    /** Applying its page failed on this node (see this node's log). */
    failing
  }
}
