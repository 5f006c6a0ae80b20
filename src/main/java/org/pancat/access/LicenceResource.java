package org.pancat.access;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.pancat.kernel.ApiDocument;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;

@Path("/api/v1/licences")
@Tag(name = "access")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LicenceResource {
  private final LicenceService licences;
  private final CurrentPrincipal current;

  LicenceResource(LicenceService licences, CurrentPrincipal current) {
    this.licences = licences;
    this.current = current;
  }

  /** Optional body of an acceptance: the version the user was shown. */
  public record AcceptanceRequest(
      @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9.+-]{0,31}") String version) {}

  @GET
  @Operation(
      operationId = "listLicences",
      summary = "List licences",
      description = "The licences that gate restricted artifacts, with their current versions.")
  public Page<LicenceService.LicenceView> list(
      @QueryParam("page") String page, @QueryParam("size") String size) {
    return Page.of(licences.list(), Paging.of(page, size));
  }

  @GET
  @Path("/{id}")
  @Operation(
      operationId = "getLicence",
      summary = "Get a licence with its terms and current version",
      description = "One licence with its terms and current version.")
  public LicenceService.LicenceView get(@PathParam("id") String id) {
    return licences.get(id);
  }

  @PUT
  @Path("/{id}")
  @Operation(
      operationId = "putLicence",
      summary = "Publish a licence or a new version of it (admin)",
      description = "Publishes a licence or a new version of its terms. Admins only.")
  @Extension(name = ApiDocument.CREATES, value = "true")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public RestResponse<LicenceService.LicenceView> put(
      @PathParam("id") String id, @NotNull @Valid LicenceDocument body, UriInfo uri) {
    return licences.put(id, body, current.get()).response(uri.getRequestUri());
  }

  @POST
  @Path("/{id}/acceptances")
  @Operation(
      operationId = "acceptLicence",
      summary = "Accept the current version of a licence (signed-in user)",
      description =
          "Records that the signed-in caller accepts the current version of a licence; when a version is sent, it must be the current one (the version the user was shown).")
  @Extension(name = ApiDocument.CREATES, value = "true")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public RestResponse<LicenceService.Acceptance> accept(
      @PathParam("id") String id, @Valid AcceptanceRequest body, UriInfo uri) {
    return licences
        .accept(id, body == null ? null : body.version(), current.get())
        .response(uri.getRequestUri());
  }
}
