package org.pancat.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document. {@code extensions} carries endpoint-specific members (for example
 * the candidates of an ambiguous term) and is flattened into the top level.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors,
    @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** One invalid field: a JSON-pointer-like path into the request and what is wrong with it. */
  public record FieldError(String field, String message) {}

  @JsonAnyGetter
  public Map<String, Object> extensionMembers() {
    return extensions == null ? Map.of() : extensions;
  }
}
