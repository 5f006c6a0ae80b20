package org.pancat.resolve;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.pancat.access.CurrentPrincipal;
import org.pancat.kernel.ApiDocument;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;
import org.pancat.search.SearchResult;
import org.pancat.search.SearchService;

@Path("/api/v1/compute-resources")
@Tag(name = "resolve")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ComputeResourceResource {
  private final ComputeResources resources;
  private final Resolver resolver;
  private final SearchService search;
  private final CurrentPrincipal current;

  ComputeResourceResource(
      ComputeResources resources,
      Resolver resolver,
      SearchService search,
      CurrentPrincipal current) {
    this.resources = resources;
    this.resolver = resolver;
    this.search = search;
    this.current = current;
  }

  @GET
  @Operation(
      operationId = "listComputeResources",
      summary = "List compute resources",
      description =
          "The compute resources portals resolve for: architecture, GPUs, runtimes, registries and CVMFS repositories each can reach.")
  public Page<ComputeResources.ResourceView> list(
      @QueryParam("page") String page, @QueryParam("size") String size) {
    return Page.of(resources.list(), Paging.of(page, size));
  }

  @GET
  @Path("/{id}")
  @Operation(
      operationId = "getComputeResource",
      summary = "Get a compute resource",
      description = "One compute resource with its capabilities.")
  public ComputeResources.ResourceView get(@PathParam("id") String id) {
    return resources.get(id);
  }

  @PUT
  @Path("/{id}")
  @Operation(
      operationId = "putComputeResource",
      summary = "Register or update a compute resource (admin or publisher of its facility)",
      description =
          "Registers or replaces a compute resource. Admins, or publishers of the facility that runs it.")
  @Extension(name = ApiDocument.CREATES, value = "true")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public RestResponse<ComputeResources.ResourceView> put(
      @PathParam("id") String id, @NotNull @Valid ComputeResourceDocument body, UriInfo uri) {
    return resources.put(id, body, current.get()).response(uri.getRequestUri());
  }

  /**
   * Everything the caller may launch on the resource, best artifact per software, in the shape of a
   * JupyterHub KubeSpawner {@code profile_list} (plus a {@code pancat} member per entry).
   */
  @GET
  @Path("/{id}/launchable")
  @Operation(
      operationId = "listLaunchable",
      summary = "What the caller may launch here, as a KubeSpawner profile_list",
      description =
          "The releases the caller may launch on this resource, digest-pinned, as a JupyterHub KubeSpawner profile_list. Restricted software appears only for callers who may have its reference.")
  public Map<String, Object> launchable(
      @PathParam("id") String id,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    ComputeResources.ResourceView resource = resources.get(id);
    SearchResult software =
        search.search(
            new SearchService.Request(
                null, Map.of(), null, null, null, null, null, null, null, false, page, size));
    List<ResolveResult.Candidate> best =
        resolver.best(
            software.items().stream().map(h -> h.software().id()).toList(),
            resources.capabilities(resource.resource()),
            current.get());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("computeResource", id);
    result.put("page", software.page());
    result.put("size", software.size());
    result.put("softwareConsidered", software.items().size());
    result.put("softwareTotal", software.total());
    result.put("profiles", best.stream().map(ComputeResourceResource::profile).toList());
    return result;
  }

  private static Map<String, Object> profile(ResolveResult.Candidate c) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("display_name", c.name() + " " + c.version());
    p.put("slug", (c.software() + "-" + c.version()).replaceAll("[^a-z0-9]+", "-"));
    p.put("description", c.why().get(0) + "; " + c.runtime() + "; " + c.kind());
    p.put("kubespawner_override", Map.of("image", c.pinnedReference()));
    p.put("pancat", c);
    return p;
  }
}
