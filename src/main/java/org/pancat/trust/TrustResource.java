package org.pancat.trust;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.pancat.access.CurrentPrincipal;
import org.pancat.kernel.ApiDocument;
import org.pancat.problem.ProblemException;

/** A facility's trust policy on this node: readable by everyone, set by an admin. */
@Path("/api/v1/facilities/{facility}/trust-policy")
@Tag(name = "trust")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TrustResource {
  private final TrustPolicies policies;
  private final FacilityDirectory facilities;
  private final CurrentPrincipal current;

  TrustResource(TrustPolicies policies, FacilityDirectory facilities, CurrentPrincipal current) {
    this.policies = policies;
    this.facilities = facilities;
    this.current = current;
  }

  @GET
  @Operation(
      operationId = "getTrustPolicy",
      summary = "Get a facility's trust policy and its version",
      description =
          "A facility's trust policy (trusted signers, builders bound to their signers, whether provenance is required) and its version.")
  public TrustPolicies.PolicyView get(@PathParam("facility") String facility) {
    facilities.requireFacility(facility);
    return policies
        .view(facility)
        .orElseThrow(
            () ->
                ProblemException.notFound(
                    "facility " + facility + " has no trust policy on this node"));
  }

  @PUT
  @Operation(
      operationId = "putTrustPolicy",
      summary =
          "Set a facility's trust policy (admin); every artifact of the facility with evidence is"
              + " re-evaluated in the same transaction",
      description =
          "Replaces a facility's trust policy: the version goes up and the facility's artifacts are evaluated again under it. Admins only.")
  @Extension(name = ApiDocument.CREATES, value = "true")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public RestResponse<TrustPolicies.PolicyView> put(
      @PathParam("facility") String facility, @NotNull @Valid TrustPolicy body, UriInfo uri) {
    return policies.put(facility, body, current.get()).response(uri.getRequestUri());
  }
}
