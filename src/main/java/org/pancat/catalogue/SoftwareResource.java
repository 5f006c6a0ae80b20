package org.pancat.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.pancat.access.CurrentPrincipal;
import org.pancat.changelog.Written;
import org.pancat.kernel.ApiDocument;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;
import org.pancat.trust.ProvenanceView;
import org.pancat.trust.SignatureDocument;
import org.pancat.trust.SignatureView;

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
  private static final String WITHDRAWAL_REASON =
      "Why the entry is withdrawn; the tombstone shows it to everyone";

  /** The path of a software. */
  record SoftwarePath(@PathParam("facility") String facility, @PathParam("slug") String slug) {}

  /** The path of a release. */
  record ReleasePath(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version) {}

  /** The path of an artifact. */
  record ArtifactPath(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @PathParam("version") String version,
      @PathParam("artifact") String artifact) {}

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
  @Operation(
      operationId = "getSoftware",
      summary = "Get software metadata",
      description =
          "Software metadata: name, description, techniques, functions, formats, licence and links.")
  public Views.SoftwareView get(@BeanParam SoftwarePath path) {
    return queries.software(path.facility(), path.slug());
  }

  @PUT
  @Path(SOFTWARE)
  @Operation(
      operationId = "putSoftware",
      summary = "Register or update software metadata (publisher of the facility)",
      description =
          "Registers software or updates its metadata. Terms must be concepts of the node's schemes. Publishers of the facility.")
  @Extension(name = ApiDocument.CREATES, value = "true")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public RestResponse<Views.SoftwareView> put(
      @BeanParam SoftwarePath path, @NotNull @Valid SoftwareDocument body, UriInfo uri) {
    return (service.putSoftware(path.facility(), path.slug(), body, current.get()))
        .response(uri.getRequestUri());
  }

  @DELETE
  @Path(SOFTWARE)
  @Operation(
      operationId = "withdrawSoftware",
      summary = "Withdraw software (tombstone with a reason)",
      description =
          "Withdraws software with a reason: a tombstone stays, searches leave it out and resolve never picks it. Publishers of the facility.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public Views.SoftwareView withdraw(
      @BeanParam SoftwarePath path,
      @QueryParam("reason")
          @Parameter(
              description = WITHDRAWAL_REASON,
              required = true,
              schema = @Schema(minLength = 1, maxLength = WithdrawalRequest.MAX_REASON))
          String reason) {
    return service
        .withdrawSoftware(path.facility(), path.slug(), WithdrawalRequest.of(reason), current.get())
        .value();
  }

  @GET
  @Path(SOFTWARE + "/releases")
  @Operation(
      operationId = "listReleases",
      summary = "List releases, newest first",
      description = "The releases of a piece of software, newest first.")
  public Page<Views.ReleaseView> releases(
      @BeanParam SoftwarePath path,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    Paging paging = Paging.of(page, size);
    return queries.releases(
        path.facility(), path.slug(), current.get(), paging.page(), paging.size());
  }

  @GET
  @Path(RELEASE)
  @Operation(
      operationId = "getRelease",
      summary = "Get a release with its artifacts",
      description =
          "A release with its artifacts, each with the reference only when the caller may have it.")
  public Views.ReleaseView release(@BeanParam ReleasePath path) {
    return queries.release(path.facility(), path.slug(), path.version(), current.get());
  }

  @PUT
  @Path(RELEASE)
  @Operation(
      operationId = "putRelease",
      summary = "Publish a release (immutable once published)",
      description =
          "Publishes a release. A release is immutable: the same document again answers 200, a different one 409.")
  @Extension(name = ApiDocument.CREATES, value = "true")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public RestResponse<Views.ReleaseView> putRelease(
      @BeanParam ReleasePath path, @NotNull @Valid ReleaseDocument body, UriInfo uri) {
    return (service.putRelease(path.facility(), path.slug(), path.version(), body, current.get()))
        .response(uri.getRequestUri());
  }

  @DELETE
  @Path(RELEASE)
  @Operation(
      operationId = "withdrawRelease",
      summary = "Withdraw a release (tombstone with a reason)",
      description =
          "Withdraws a release with a reason (a tombstone stays). Publishers of the facility.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public Views.ReleaseView withdrawRelease(
      @BeanParam ReleasePath path,
      @QueryParam("reason")
          @Parameter(
              description = WITHDRAWAL_REASON,
              required = true,
              schema = @Schema(minLength = 1, maxLength = WithdrawalRequest.MAX_REASON))
          String reason) {
    return service
        .withdrawRelease(
            path.facility(),
            path.slug(),
            path.version(),
            WithdrawalRequest.of(reason),
            current.get())
        .value();
  }

  @GET
  @Path(RELEASE + "/history")
  @Operation(
      operationId = "getReleaseHistory",
      summary =
          "A release's history: publication, artifacts, signatures, provenance, trust"
              + " evaluations and withdrawals, oldest first",
      description =
          "What happened to a release, from the change log: publication, artifacts, signatures with who signed, provenance, every trust evaluation and withdrawals, oldest first.")
  public Page<ReleaseHistory.Entry> history(
      @BeanParam ReleasePath path,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    Paging paging = Paging.of(page, size);
    return Page.of(history.of(path.facility(), path.slug(), path.version()), paging);
  }

  @GET
  @Path(RELEASE + "/artifacts")
  @Operation(
      operationId = "listArtifacts",
      summary = "List the artifacts of a release",
      description =
          "The artifacts of a release; references, signatures and provenance only as far as the caller may have them.")
  public Page<Views.ArtifactView> artifacts(
      @BeanParam ReleasePath path,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    Paging paging = Paging.of(page, size);
    return queries.artifacts(
        path.facility(), path.slug(), path.version(), current.get(), paging.page(), paging.size());
  }

  @POST
  @Path(RELEASE + "/artifacts")
  @Operation(
      operationId = "addArtifact",
      summary = "Publish an artifact of a release (immutable once published)",
      description =
          "Publishes an artifact (OCI image, Apptainer image, package, CVMFS path...) of a release, with its digest, platforms, requirements and sharing. Immutable once published: the same document again answers 200, a different one 409.")
  @Extension(name = ApiDocument.CREATES, value = "true")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public RestResponse<Views.ArtifactView> addArtifact(
      @BeanParam ReleasePath path, @NotNull @Valid ArtifactDocument body, UriInfo uri) {
    Written<Views.ArtifactView> written =
        service.addArtifact(path.facility(), path.slug(), path.version(), body, current.get());
    return (written).response(uri.getRequestUriBuilder().path(written.value().id()).build());
  }

  @GET
  @Path(ARTIFACT)
  @Operation(
      operationId = "getArtifact",
      summary = "Get an artifact with its signatures and provenance",
      description =
          "One artifact with its trust class, sharing class and verified signatures; the pull reference only when the caller may have it.")
  public Views.ArtifactView artifact(@BeanParam ArtifactPath path) {
    return queries.artifact(
        path.facility(), path.slug(), path.version(), path.artifact(), current.get());
  }

  @DELETE
  @Path(ARTIFACT)
  @Operation(
      operationId = "withdrawArtifact",
      summary = "Withdraw an artifact (tombstone with a reason)",
      description =
          "Withdraws an artifact with a reason (a tombstone stays; resolve never picks it). Publishers of the facility.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public Views.ArtifactView withdrawArtifact(
      @BeanParam ArtifactPath path,
      @QueryParam("reason")
          @Parameter(
              description = WITHDRAWAL_REASON,
              required = true,
              schema = @Schema(minLength = 1, maxLength = WithdrawalRequest.MAX_REASON))
          String reason) {
    return service
        .withdrawArtifact(
            path.facility(),
            path.slug(),
            path.version(),
            path.artifact(),
            WithdrawalRequest.of(reason),
            current.get())
        .value();
  }

  @GET
  @Path(ARTIFACT + "/signatures")
  @Operation(
      operationId = "listSignatures",
      summary = "List the signatures attached to an artifact",
      description =
          "The signatures of an artifact with what verification proved; the signed documents only when the caller may have the reference.")
  public Page<SignatureView> signatures(
      @BeanParam ArtifactPath path,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    return Page.of(
        queries.signatures(
            path.facility(), path.slug(), path.version(), path.artifact(), current.get()),
        Paging.of(page, size));
  }

  @POST
  @Path(ARTIFACT + "/signatures")
  @Operation(
      operationId = "addSignature",
      summary = "Attach a signature (Sigstore bundle or public-key signature)",
      description =
          "Attaches a Sigstore bundle (keyless or with a managed key) or a public-key signature; it is verified before it is stored, and the artifact's trust is evaluated again. Publishers of the facility.")
  @Extension(name = ApiDocument.CREATES, value = "true")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public RestResponse<SignatureView> addSignature(
      @BeanParam ArtifactPath path, @NotNull @Valid SignatureDocument body, UriInfo uri) {
    return (service.addSignature(
            path.facility(), path.slug(), path.version(), path.artifact(), body, current.get()))
        .response(uri.getRequestUri());
  }

  @GET
  @Path(ARTIFACT + "/provenance")
  @Operation(
      operationId = "listProvenance",
      summary = "List the provenance statements attached to an artifact",
      description =
          "The provenance statements of an artifact, each with whether its signer is bound to the builder it names.")
  public Page<ProvenanceView> provenance(
      @BeanParam ArtifactPath path,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    return Page.of(
        queries.provenance(
            path.facility(), path.slug(), path.version(), path.artifact(), current.get()),
        Paging.of(page, size));
  }

  @POST
  @Path(ARTIFACT + "/provenance")
  @Operation(
      operationId = "addProvenance",
      summary = "Attach provenance (in-toto statement, DSSE envelope or Sigstore bundle)",
      description =
          "Attaches provenance: an in-toto statement, a DSSE envelope or a Sigstore bundle carrying one. Only a verified bundle whose signer the trust policy binds to its builder counts toward trust. Publishers of the facility.")
  @Extension(name = ApiDocument.CREATES, value = "true")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public RestResponse<ProvenanceView> addProvenance(
      @BeanParam ArtifactPath path, @NotNull JsonNode body, UriInfo uri) {
    return (service.addProvenance(
            path.facility(), path.slug(), path.version(), path.artifact(), body, current.get()))
        .response(uri.getRequestUri());
  }
}
