package org.pancat.access;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemResponses;
import org.pancat.problem.ProblemType;

/**
 * Establishes the caller for every request. No header means anonymous, or on a web page the
 * signed-in session ({@link SessionAuthenticator}); a header that is present must carry a valid
 * bearer token, otherwise the request stops here with 401.
 */
public class AuthenticationFilter {
  private static final String BEARER = "bearer ";

  private static final String NODE = NodeAuthenticator.SCHEME.toLowerCase(Locale.ROOT) + " ";

  private final TokenVerifier verifier;
  private final NodeAuthenticator nodes;
  private final CurrentPrincipal current;
  private final SessionAuthenticator sessions;

  AuthenticationFilter(
      TokenVerifier verifier,
      NodeAuthenticator nodes,
      CurrentPrincipal current,
      SessionAuthenticator sessions) {
    this.verifier = verifier;
    this.sessions = sessions;
    this.nodes = nodes;
    this.current = current;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    String path = request.getUriInfo().getRequestUri().getRawPath();
    if (header == null) {
      if (resource.getResourceClass() != null
          && resource.getResourceClass().isAnnotationPresent(WebPage.class)) {
        current.set(sessions.principal(request.getCookies()));
      }
      return Optional.empty();
    }
    if (header.regionMatches(true, 0, NODE, 0, NODE.length())) {
      String query = request.getUriInfo().getRequestUri().getRawQuery();
      try {
        current.set(
            nodes.authenticate(
                header.substring(NODE.length()).trim(),
                request.getMethod(),
                query == null ? path : path + "?" + query));
        return Optional.empty();
      } catch (AuthenticationRefused e) {
        return Optional.of(ProblemResponses.of(e.problem(), path));
      }
    }
    if (header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.of(
          ProblemResponses.of(
              new ProblemException(
                  ProblemType.UNAUTHORIZED,
                  "only bearer tokens (and signed requests of peer nodes) are accepted",
                  List.of(),
                  Map.of(),
                  Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer")),
              path));
    }
    try {
      current.set(verifier.verify(header.substring(BEARER.length()).trim()));
      return Optional.empty();
    } catch (AuthenticationRefused e) {
      return Optional.of(ProblemResponses.of(e.problem(), path));
    }
  }
}
