package org.pancat.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every exception that can leave a resource to problem+json. Messages are written here, never
 * copied from the exception, so no class name, SQL or stack trace reaches a client.
 */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    return ProblemResponses.of(e, path(uri));
  }

  @ServerExceptionMapper
  public Response domainFailure(DomainFailure e, UriInfo uri) {
    return ProblemResponses.of(e.problem(), path(uri));
  }

  @ServerExceptionMapper
  public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
    List<Problem.FieldError> errors = new ArrayList<>();
    for (ConstraintViolation<?> v : e.getConstraintViolations()) {
      errors.add(new Problem.FieldError(fieldPath(v.getPropertyPath()), v.getMessage()));
    }
    errors.sort(Comparator.comparing(Problem.FieldError::field));
    return ProblemResponses.of(ProblemException.invalid(errors), path(uri));
  }

  @ServerExceptionMapper(
      value = {
        JsonProcessingException.class,
        JsonMappingException.class,
        MismatchedInputException.class,
        InvalidFormatException.class,
        UnrecognizedPropertyException.class,
        JsonParseException.class
      })
  public Response json(JsonProcessingException e, UriInfo uri) {
    return ProblemResponses.of(
        new ProblemException(
            ProblemType.MALFORMED_REQUEST,
            describe(e),
            jsonField(e)
                .map(f -> List.of(new Problem.FieldError(f, describe(e))))
                .orElse(List.of()),
            Map.of(),
            Map.of()),
        path(uri));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    if (e.getCause() instanceof JsonProcessingException json) {
      return json(json, uri);
    }
    ProblemType type = ProblemType.forStatus(status);
    Response.ResponseBuilder builder =
        Response.status(status)
            .type(Problem.MEDIA_TYPE)
            .entity(
                ProblemResponses.body(type, type.explanation(), path(uri), List.of(), Map.of()));
    String allow = e.getResponse().getHeaderString("Allow");
    if (allow != null) {
      builder.header("Allow", allow);
    }
    return builder.build();
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return json(json, uri);
    }
    String incident = UUID.randomUUID().toString();
    LOG.errorf(e, "incident %s on %s", incident, path(uri));
    return ProblemResponses.of(
        new ProblemException(
            ProblemType.INTERNAL_ERROR,
            "The node failed to handle the request; nothing was changed.",
            List.of(),
            Map.of("incident", incident),
            Map.of()),
        path(uri));
  }

  private static String path(UriInfo uri) {
    return uri == null ? null : uri.getRequestUri().getRawPath();
  }

  private static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '" + u.getPropertyName() + "'";
    }
    if (e instanceof InvalidFormatException f) {
      return "value is not a valid " + typeName(f.getTargetType());
    }
    if (e instanceof MismatchedInputException m) {
      return m.getTargetType() == null
          ? "value has the wrong type"
          : "expected " + typeName(m.getTargetType());
    }
    if (e.getLocation() != null) {
      return "body is not valid JSON (line "
          + e.getLocation().getLineNr()
          + ", column "
          + e.getLocation().getColumnNr()
          + ")";
    }
    return "body is not valid JSON";
  }

  /** A JSON type name for a Java type, without revealing the Java class. */
  private static String typeName(Class<?> type) {
    if (type == null) {
      return "value";
    }
    if (type == String.class || type.isEnum()) {
      return "string";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
      return "number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "boolean";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "array";
    }
    if (Temporal.class.isAssignableFrom(type)) {
      return "date (ISO 8601)";
    }
    return "object";
  }

  private static Optional<String> jsonField(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException d) || d.getPath().isEmpty()) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : d.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? Optional.empty() : Optional.of(sb.toString());
  }

  /** Drops the method and parameter nodes so the path names the request field ("name", "kind"). */
  private static String fieldPath(Path path) {
    StringBuilder sb = new StringBuilder();
    for (Path.Node node : path) {
      if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER) {
        if (node.getKind() == ElementKind.PARAMETER && !isBody(node.getName())) {
          sb.append(node.getName());
        }
        continue;
      }
      if (node.getKind() == ElementKind.CONTAINER_ELEMENT || node.getName() == null) {
        if (node.getIndex() != null) {
          sb.append('[').append(node.getIndex()).append(']');
        }
        continue;
      }
      if (node.getIndex() != null) {
        sb.append('[').append(node.getIndex()).append(']');
      }
      sb.append(sb.length() == 0 ? "" : ".").append(node.getName());
    }
    return sb.length() == 0 ? "body" : sb.toString();
  }

  private static boolean isBody(String parameterName) {
    return parameterName.equals("body") || parameterName.startsWith("document");
  }
}
