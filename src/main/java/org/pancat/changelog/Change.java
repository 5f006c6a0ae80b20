package org.pancat.changelog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import org.pancat.kernel.EntityKind;

/**
 * A change as read back from the log. {@code origin} is null for this node's own changes; an
 * imported change keeps its origin, position there and the origin's signature.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Change(
    long seq,
    Op op,
    String entity,
    String id,
    String version,
    String actor,
    Instant at,
    JsonNode body,
    String item,
    String origin,
    Long originSeq,
    String originSig) {

  public boolean isLocal() {
    return origin == null;
  }

  /** The kind of {@code entity}; empty for a kind this node does not know (from a newer peer). */
  public Optional<EntityKind> kind() {
    return EntityKind.ofWireName(entity);
  }

  /** Whether this is a change of {@code kind}. */
  public boolean is(EntityKind kind) {
    return kind.wireName().equals(entity);
  }

  public enum Op {
    upsert,
    tombstone
  }
}
