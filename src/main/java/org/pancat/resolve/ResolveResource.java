package org.pancat.resolve;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pancat.access.CurrentPrincipal;

@Path("/api/v1/resolve")
@Tag(name = "resolve")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ResolveResource {
  private final Resolver resolver;
  private final CurrentPrincipal current;

  ResolveResource(Resolver resolver, CurrentPrincipal current) {
    this.resolver = resolver;
    this.current = current;
  }

  @POST
  @Operation(
      operationId = "resolve",
      summary =
          "Which exact, digest-pinned artifact to launch for the caller on a compute resource,"
              + " with the rejected candidates and their reasons",
      description =
          "Chooses the exact, digest-pinned artifact to launch for the caller on a compute resource, with the launch as argv data and the reason for each candidate refused. Pull references the caller may not have are never in the answer.")
  public ResolveResult resolve(@NotNull @Valid ResolveRequest body) {
    return resolver.resolve(body, current.get());
  }
}
