package org.pancat.problem;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Builds problem+json responses; the only place that turns a {@link ProblemType} into HTTP. */
public final class ProblemResponses {
  private ProblemResponses() {}

  public static Response of(ProblemException e, String instance) {
    Response.ResponseBuilder builder =
        Response.status(e.type().status())
            .type(Problem.MEDIA_TYPE)
            .entity(body(e.type(), e.getMessage(), instance, e.errors(), e.extensions()));
    e.headers().forEach(builder::header);
    return builder.build();
  }

  public static Response of(ProblemType type, String detail, String instance) {
    return Response.status(type.status())
        .type(Problem.MEDIA_TYPE)
        .entity(body(type, detail, instance, List.of(), Map.of()))
        .build();
  }

  public static Problem body(
      ProblemType type,
      String detail,
      String instance,
      List<Problem.FieldError> errors,
      Map<String, Object> extensions) {
    return new Problem(
        type.uri(), type.title(), type.status(), detail, instance, errors, extensions);
  }
}
