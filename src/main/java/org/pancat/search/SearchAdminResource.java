package org.pancat.search;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pancat.access.AccessPolicy;
import org.pancat.access.CurrentPrincipal;
import org.pancat.kernel.ApiDocument;

@Path("/api/v1/admin")
@Tag(name = "search")
@Produces(MediaType.APPLICATION_JSON)
public class SearchAdminResource {
  private final SearchIndexer indexer;
  private final AccessPolicy policy;
  private final CurrentPrincipal current;

  SearchAdminResource(SearchIndexer indexer, AccessPolicy policy, CurrentPrincipal current) {
    this.indexer = indexer;
    this.policy = policy;
    this.current = current;
  }

  @POST
  @Path("/reindex")
  @Operation(
      operationId = "rebuildSearchIndex",
      summary = "Rebuild the search index from the database (admin)",
      description =
          "Rebuilds the search index from the database, which is the truth, and answers how many entries it indexed up to which change. Admins only.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public SearchIndexer.Rebuilt reindex() {
    policy.requireAdmin(current.get());
    return indexer.rebuild();
  }
}
