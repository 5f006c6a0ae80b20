package org.pancat.harvest;

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
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.pancat.access.CurrentPrincipal;
import org.pancat.kernel.ApiDocument;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;
import org.pancat.kernel.QueryParams;

/**
 * Harvest sources and their runs. Everything here is for admins and the publishers of the source's
 * facility: a source's settings and reports name registries and images that may be restricted.
 */
@Path("/api/v1/harvest")
@Tag(name = "harvest")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = ApiDocument.USER_TOKEN)
public class HarvestResource {
  private static final String SOURCE = "{source: " + HarvestSources.ID + "}";

  private final HarvestService harvest;
  private final CurrentPrincipal current;

  HarvestResource(HarvestService harvest, CurrentPrincipal current) {
    this.harvest = harvest;
    this.current = current;
  }

  @GET
  @Operation(
      operationId = "listHarvestSources",
      summary = "List harvest sources",
      description =
          "The harvest sources the caller manages, each with its last run: all of them for an admin, its facility's for a publisher.")
  public Page<HarvestSources.SourceView> list(
      @QueryParam("page") String page, @QueryParam("size") String size) {
    return harvest.sources(current.get(), Paging.of(page, size));
  }

  @PUT
  @Path("/" + SOURCE)
  @Operation(
      operationId = "putHarvestSource",
      summary = "Register or change a harvest source (admin or publisher of its facility)",
      description =
          "An OCI registry, a signed APT repository or a CVMFS unpacked wish list that this node reads for the facility, on its interval and on demand. Credentials are named, never sent: they are configured on the node.")
  @Extension(name = ApiDocument.CREATES, value = "true")
  public RestResponse<HarvestSources.SourceView> put(
      @PathParam("source") String source, @NotNull @Valid HarvestSourceDocument body, UriInfo uri) {
    return harvest.put(source, body, current.get()).response(uri.getRequestUri());
  }

  @GET
  @Path("/" + SOURCE)
  @Operation(
      operationId = "getHarvestSource",
      summary = "Get a harvest source",
      description = "The source's settings, when it runs next, and its last run.")
  public HarvestSources.SourceView get(@PathParam("source") String source) {
    return harvest.source(source, current.get());
  }

  @DELETE
  @Path("/" + SOURCE)
  @Operation(
      operationId = "deleteHarvestSource",
      summary = "Remove a harvest source",
      description =
          "Removes the source and its runs. What it harvested stays in the catalogue. Refused while it runs.")
  @APIResponse(responseCode = "204", description = "Removed.")
  public void delete(@PathParam("source") String source) {
    harvest.delete(source, current.get());
  }

  @POST
  @Path("/" + SOURCE + "/run")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      operationId = "runHarvestSource",
      summary = "Run a harvest source now",
      description =
          "Starts a run and answers at once (202) with the run, whose report fills in as it goes; when a run of the source is going, answers that one (200). With full=true every item is read again, as if the source were new (nothing already there is written twice).")
  @APIResponse(
      responseCode = "202",
      description = "The run started.",
      headers =
          @Header(
              name = "Location",
              description = "The run's report.",
              schema = @Schema(type = SchemaType.STRING, format = "uri")),
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = HarvestRuns.RunView.class)))
  @APIResponse(
      responseCode = "200",
      description = "A run of the source is going: this is it.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = HarvestRuns.RunView.class)))
  public RestResponse<HarvestRuns.RunView> run(
      @PathParam("source") String source,
      @QueryParam("full")
          @Parameter(
              description = "Read every item again.",
              schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
          String full,
      UriInfo uri) {
    var started = harvest.run(source, QueryParams.flag("full", full, false), current.get());
    URI location =
        uri.getBaseUriBuilder()
            .path("api/v1/harvest/" + source + "/runs/" + started.value().id())
            .build();
    return started.created()
        ? RestResponse.ResponseBuilder.<HarvestRuns.RunView>create(RestResponse.Status.ACCEPTED)
            .location(location)
            .entity(started.value())
            .build()
        : RestResponse.ok(started.value());
  }

  @GET
  @Path("/" + SOURCE + "/runs")
  @Operation(
      operationId = "listHarvestRuns",
      summary = "List a source's runs",
      description =
          "The source's runs, newest first, with their counts (added, updated, unchanged, refused, skipped, gone, withdrawn, requests), progress and duration.")
  public Page<HarvestRuns.RunView> runs(
      @PathParam("source") String source,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    return harvest.runs(source, Paging.of(page, size), current.get());
  }

  @GET
  @Path("/" + SOURCE + "/runs/{run: [0-9]{1,18}}")
  @Operation(
      operationId = "getHarvestRun",
      summary = "Get a run's report",
      description =
          "One run with its report: each item that was not unchanged, what became of it and why (the reason of a refusal).")
  public HarvestRuns.RunView run(@PathParam("source") String source, @PathParam("run") long run) {
    return harvest.run(source, run, current.get());
  }
}
