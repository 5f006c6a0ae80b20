package org.pancat.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.pancat.access.CurrentPrincipal;
import org.pancat.changelog.Written;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;

/**
 * Software, its releases and their artifacts, signatures and provenance. Listing and searching
 * software ({@code GET /api/v1/software}) belongs to the search feature.
 */
@Path("/api/v1/software")
@Tag(name = "catalogue")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SoftwareResource {
  private static final String SOFTWARE = "/{facility}/{slug}";
  private static final String RELEASE = SOFTWARE + "/releases/{version}";
  private static final String ARTIFACT = RELEASE + "/artifacts/{artifact}";

  private final CatalogueService service;
  private final CatalogueQueries queries;
  private final CurrentPrincipal current;
  private final ReleaseHistory history;

  SoftwareResource(
      CatalogueService service,
      CatalogueQueries queries,
      CurrentPrincipal current,
      ReleaseHistory history) {
    this.service = service;
    this.history = history;
    this.queries = queries;
    this.current = current;
  }

  @GET
  @Path(SOFTWARE)
  @Operation(summary = "Get software metadata")
  public Views.SoftwareView get(
      @PathParam("facility") String facility, @PathParam("slug") String slug) {
    return queries.software(facility, slug);
  }

  @PUT
  @Path(SOFTWARE)
  @Operation(summary = "Register or update software metadata (publisher of the facility)")
  public RestResponse<Views.SoftwareView> put(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @NotNull @Valid SoftwareDocument body,
      UriInfo uri) {
    return (service.putSoftware(facility, slug, body, current.get())).response(uri.getRequestUri());
  }

  @DELETE
  @Path(SOFTWARE)
  @Operation(summary = "Withdraw software (tombstone with a reason)")
  public Views.SoftwareView withdraw(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @NotNull @Valid WithdrawalRequest body) {
    return service.withdrawSoftware(facility, slug, body, current.get()).value();
  }

  @GET
  @Path(SOFTWARE + "/releases")
  @Operation(summary = "List releases, newest first")
  public Page<Views.ReleaseView> releases(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    Paging paging = Paging.of(page, size);
    return queries.releases(facility, slug, current.get(), paging.page(), paging.size());
  }

  @GET
  @Path(RELEASE)
  @Operation(summary = "Get a release with its artifacts")
  public Views.ReleaseView release(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version) {
    return queries.release(facility, slug, version, current.get());
  }

  @PUT
  @Path(RELEASE)
  @Operation(summary = "Publish a release (immutable once published)")
  public RestResponse<Views.ReleaseView> putRelease(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version,
      @NotNull @Valid ReleaseDocument body,
      UriInfo uri) {
    return (service.putRelease(facility, slug, version, body, current.get()))
        .response(uri.getRequestUri());
  }

  @DELETE
  @Path(RELEASE)
  @Operation(summary = "Withdraw a release (tombstone with a reason)")
  public Views.ReleaseView withdrawRelease(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version,
      @NotNull @Valid WithdrawalRequest body) {
    return service.withdrawRelease(facility, slug, version, body, current.get()).value();
  }

  @GET
  @Path(RELEASE + "/history")
  @Operation(
      summary =
          "A release's history: publication, artifacts, signatures, provenance, trust"
              + " evaluations and withdrawals, oldest first")
  public Page<ReleaseHistory.Entry> history(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    Paging paging = Paging.of(page, size);
    return Page.of(history.of(facility, slug, version), paging);
  }

  @GET
  @Path(RELEASE + "/artifacts")
  @Operation(summary = "List the artifacts of a release")
  public Page<Views.ArtifactView> artifacts(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    Paging paging = Paging.of(page, size);
    return queries.artifacts(facility, slug, version, current.get(), paging.page(), paging.size());
  }

  @POST
  @Path(RELEASE + "/artifacts")
  @Operation(summary = "Publish an artifact of a release (immutable once published)")
  public RestResponse<Views.ArtifactView> addArtifact(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version,
      @NotNull @Valid ArtifactDocument body,
      UriInfo uri) {
    Written<Views.ArtifactView> written =
        service.addArtifact(facility, slug, version, body, current.get());
    return (written).response(uri.getRequestUriBuilder().path(written.value().id()).build());
  }

  @GET
  @Path(ARTIFACT)
  @Operation(summary = "Get an artifact with its signatures and provenance")
  public Views.ArtifactView artifact(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version,
      @PathParam("artifact") String artifact) {
    return queries.artifact(facility, slug, version, artifact, current.get());
  }

  @DELETE
  @Path(ARTIFACT)
  @Operation(summary = "Withdraw an artifact (tombstone with a reason)")
  public Views.ArtifactView withdrawArtifact(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version,
      @PathParam("artifact") String artifact,
      @NotNull @Valid WithdrawalRequest body) {
    return service.withdrawArtifact(facility, slug, version, artifact, body, current.get()).value();
  }

  @GET
  @Path(ARTIFACT + "/signatures")
  @Operation(summary = "List the signatures attached to an artifact")
  public List<Views.SignatureView> signatures(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version,
      @PathParam("artifact") String artifact) {
    return queries.signatures(facility, slug, version, artifact, current.get());
  }

  @POST
  @Path(ARTIFACT + "/signatures")
  @Operation(summary = "Attach a signature (Sigstore bundle or public-key signature)")
  public RestResponse<Views.SignatureView> addSignature(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version,
      @PathParam("artifact") String artifact,
      @NotNull @Valid SignatureDocument body,
      UriInfo uri) {
    return (service.addSignature(facility, slug, version, artifact, body, current.get()))
        .response(uri.getRequestUri());
  }

  @GET
  @Path(ARTIFACT + "/provenance")
  @Operation(summary = "List the provenance statements attached to an artifact")
  public List<Views.ProvenanceView> provenance(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version,
      @PathParam("artifact") String artifact) {
    return queries.provenance(facility, slug, version, artifact, current.get());
  }

  @POST
  @Path(ARTIFACT + "/provenance")
  @Operation(summary = "Attach provenance (in-toto statement, DSSE envelope or Sigstore bundle)")
  public RestResponse<Views.ProvenanceView> addProvenance(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version,
      @PathParam("artifact") String artifact,
      @NotNull JsonNode body,
      UriInfo uri) {
    return (service.addProvenance(facility, slug, version, artifact, body, current.get()))
        .response(uri.getRequestUri());
  }
}
