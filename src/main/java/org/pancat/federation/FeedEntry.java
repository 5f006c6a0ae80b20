package org.pancat.federation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.pancat.changelog.Change;

/**
 * One change as it travels between nodes. {@code originSig} is the origin node's compact JWS whose
 * payload is this entry without {@code seq} and {@code originSig} (canonical JSON), so an entry
 * relayed by another node still verifies against the origin's keys.
 *
 * @param seq the serving node's position of the entry (its cursor for the reader)
 * @param origin the node that made the change
 * @param originSeq the change's position in the origin's log
 * @param item what the change is about when id and version do not say it (a signature's id)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedEntry(
    long seq,
    String origin,
    long originSeq,
    String op,
    String entity,
    String id,
    String version,
    String item,
    String actor,
    Instant at,
    JsonNode body,
    String originSig) {

  /** What the origin signs: the entry without the serving node's seq and the signature itself. */
  public FeedEntry signable() {
    return new FeedEntry(
        0, origin, originSeq, op, entity, id, version, item, actor, at, body, null);
  }

  public FeedEntry withSeq(long servingSeq) {
    return new FeedEntry(
        servingSeq, origin, originSeq, op, entity, id, version, item, actor, at, body, originSig);
  }

  /**
   * The change this entry carries, as this node's log keeps an imported one; its {@code seq} is the
   * serving node's (this node's log gives it its own when appending).
   */
  public Change toChange() {
    return new Change(
        seq,
        Change.Op.valueOf(op),
        entity,
        id,
        version,
        actor,
        at,
        body,
        item == null ? "" : item,
        origin,
        originSeq,
        originSig);
  }

  public FeedEntry signed(String signature) {
    return new FeedEntry(
        seq, origin, originSeq, op, entity, id, version, item, actor, at, body, signature);
  }
}
