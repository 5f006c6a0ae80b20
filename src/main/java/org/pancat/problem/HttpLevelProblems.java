package org.pancat.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.AuthenticationRedirectException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Errors raised by the HTTP layer before a resource runs (body over the size limit, no route) would
 * otherwise be plain text; this turns them into problem+json too.
 */
@ApplicationScoped
public class HttpLevelProblems {
  private static final Logger LOG = Logger.getLogger(HttpLevelProblems.class);
  private static final Set<HttpMethod> BODY_METHODS =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
  private final ObjectMapper mapper;
  private final long maxBodyBytes;

  HttpLevelProblems(
      ObjectMapper mapper,
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
    this.mapper = mapper;
    this.maxBodyBytes = maxBodySize.asLongValue();
  }

  void install(@Observes Router router) {
    // The HTTP layer answers an oversized body with an empty 413 while reading it. Bodies must
    // declare their length so they can be refused here, with a problem document, before reading.
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader("Content-Length");
              if (length == null && hasUndeclaredBody(ctx.request())) {
                closeAfterResponse(ctx.request());
                write(ctx.response(), 411, ProblemType.LENGTH_REQUIRED, ctx.request().path());
                return;
              }
              long declared = length == null ? 0 : declaredLength(length);
              if (declared < 0) {
                closeAfterResponse(ctx.request());
                write(ctx.response(), 400, ProblemType.MALFORMED_REQUEST, ctx.request().path());
                return;
              }
              if (declared > maxBodyBytes) {
                closeAfterResponse(ctx.request());
                write(ctx.response(), 413, ProblemType.PAYLOAD_TOO_LARGE, ctx.request().path());
                return;
              }
              // a body must say what it is: guessing JSON would accept what the client never meant
              if (declared > 0 && ctx.request().getHeader("Content-Type") == null) {
                closeAfterResponse(ctx.request());
                write(
                    ctx.response(), 415, ProblemType.UNSUPPORTED_MEDIA_TYPE, ctx.request().path());
                return;
              }
              ctx.next();
            });
    router
        .route()
        .order(Integer.MIN_VALUE)
        .failureHandler(
            ctx -> {
              if (ctx.failure() instanceof AuthenticationException
                  || ctx.failure() instanceof AuthenticationRedirectException) {
                // a sign-in's challenge or refusal: Quarkus security answers it (a redirect to
                // the provider, or 401), as it does for the pages' code flow
                ctx.next();
                return;
              }
              int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
              if (ctx.response().headWritten()) {
                ctx.response().close();
                return;
              }
              ProblemType type = ProblemType.forStatus(status);
              if (status >= 500) {
                String incident = UUID.randomUUID().toString();
                LOG.errorf(ctx.failure(), "incident %s on %s", incident, ctx.request().path());
                write(ctx.response(), status, type, ctx.request().path(), incident);
                return;
              }
              write(ctx.response(), status, type, ctx.request().path());
            });
  }

  /** The unread body makes the connection unusable; HTTP/2 streams are reset by the server. */
  private static void closeAfterResponse(HttpServerRequest request) {
    if (request.version() != HttpVersion.HTTP_2) {
      request.response().putHeader("Connection", "close");
    }
  }

  /** HTTP/1.1 chunked, or HTTP/2 with a body stream but no declared length. */
  private static boolean hasUndeclaredBody(HttpServerRequest request) {
    if (request.getHeader("Transfer-Encoding") != null) {
      return true;
    }
    return request.version() == HttpVersion.HTTP_2
        && !request.isEnded()
        && BODY_METHODS.contains(request.method());
  }

  /** The declared body length, or -1 when the header is not a length (RFC 9110 8.6). */
  private static long declaredLength(String contentLength) {
    String digits = contentLength.strip();
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Long.parseLong(digits);
  }

  private void write(HttpServerResponse response, int status, ProblemType type, String path) {
    write(response, status, type, path, null);
  }

  private void write(
      HttpServerResponse response, int status, ProblemType type, String path, String incident) {
    try {
      byte[] body =
          mapper.writeValueAsBytes(
              ProblemResponses.body(
                  type,
                  type.explanation(),
                  path,
                  List.of(),
                  incident == null ? Map.of() : Map.of("incident", incident)));
      response
          .setStatusCode(status)
          .putHeader("Content-Type", Problem.MEDIA_TYPE)
          .end(io.vertx.core.buffer.Buffer.buffer(body));
    } catch (JsonProcessingException e) {
      response.setStatusCode(status).end();
    }
  }
}
