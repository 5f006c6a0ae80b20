package org.pancat.changelog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A change as read back from the log. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Change(
    long seq,
    Op op,
    String entity,
    String id,
    String version,
    String actor,
    Instant at,
    JsonNode body) {

  public enum Op {
    upsert,
    tombstone
  }
}
