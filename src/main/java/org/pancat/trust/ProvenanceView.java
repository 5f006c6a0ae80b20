package org.pancat.trust;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A provenance statement and what was read from it; {@code statement} is its document, withheld
 * (with the reason in {@code withheld}) from a reader who may not have the artifact's reference.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvenanceView(
    String id,
    String predicateType,
    String builderId,
    String buildType,
    String sourceRepository,
    String sourceCommit,
    String triggeredBy,
    String signedBy,
    JsonNode statement,
    Instant attachedAt,
    String attachedBy,
    String withheld) {
  /** The fields that carry the documents, as the feed export removes them. */
  public static final List<String> DOCUMENTS = List.of("statement");
}
