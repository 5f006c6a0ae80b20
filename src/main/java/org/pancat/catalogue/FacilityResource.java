package org.pancat.catalogue;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.pancat.access.CurrentPrincipal;
import org.pancat.kernel.ApiDocument;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;

@Path("/api/v1/facilities")
@Tag(name = "catalogue")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FacilityResource {
  private final CatalogueService service;
  private final CatalogueQueries queries;
  private final CurrentPrincipal current;

  FacilityResource(CatalogueService service, CatalogueQueries queries, CurrentPrincipal current) {
    this.service = service;
    this.queries = queries;
    this.current = current;
  }

  @GET
  @Operation(
      operationId = "listFacilities",
      summary = "List facilities",
      description = "The facilities this node knows, its own and its peers'.")
  public Page<Views.FacilityView> list(
      @QueryParam("page") String page, @QueryParam("size") String size) {
    Paging paging = Paging.of(page, size);
    return queries.facilities(paging.page(), paging.size());
  }

  @GET
  @Path("/{facility}")
  @Operation(operationId = "getFacility", summary = "Get a facility", description = "One facility.")
  public Views.FacilityView get(@PathParam("facility") String facility) {
    return queries.facility(facility);
  }

  @PUT
  @Path("/{facility}")
  @Operation(
      operationId = "putFacility",
      summary = "Register or update a facility (admin)",
      description = "Registers or updates a facility. Admins only.")
  @Extension(name = ApiDocument.CREATES, value = "true")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public RestResponse<Views.FacilityView> put(
      @PathParam("facility") String facility, @NotNull @Valid FacilityDocument body, UriInfo uri) {
    return (service.putFacility(facility, body, current.get())).response(uri.getRequestUri());
  }
}
