package org.pancat.trust;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A signature and what its verification proved. {@code bundle}, {@code signature} and {@code
 * payload} are its documents, withheld (with the reason in {@code withheld}) from a reader who may
 * not have the artifact's reference.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignatureView(
    String id,
    String kind,
    JsonNode bundle,
    String publicKey,
    String signature,
    String payload,
    VerifiedSignature verified,
    Instant attachedAt,
    String attachedBy,
    String withheld) {
  /** The fields that carry the documents, as the feed export removes them. */
  public static final List<String> DOCUMENTS = List.of("bundle", "signature", "payload");
}
