package org.pancat.federation;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pancat.access.AccessPolicy;
import org.pancat.access.CurrentPrincipal;

/** The signed change feed peers pull, and key rotation. */
@Path("/api/v1/federation")
@Tag(name = "federation")
public class FederationResource {
  static final String JOSE = "application/jose";

  private final FeedExporter feed;
  private final NodeKeys keys;
  private final AccessPolicy policy;
  private final CurrentPrincipal current;

  FederationResource(
      FeedExporter feed, NodeKeys keys, AccessPolicy policy, CurrentPrincipal current) {
    this.feed = feed;
    this.keys = keys;
    this.policy = policy;
    this.current = current;
  }

  @GET
  @Path("/changes")
  @Produces(JOSE)
  @Operation(
      summary =
          "A page of the change feed after a cursor, as a compact JWS (ES256) by this node; each"
              + " entry carries its origin's signature (peer nodes and admins)")
  public String changes(
      @QueryParam("after") @DefaultValue("0") @Min(0) long after,
      @QueryParam("limit") @DefaultValue("500") @Min(1) @Max(FeedExporter.MAX_PAGE) int limit) {
    policy.requireFederationPeer(current.get());
    return feed.page(after, limit);
  }

  @POST
  @Path("/keys/rotate")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Retire the current signing key and start a new one (admin)")
  public Map<String, Object> rotate() {
    policy.requireAdmin(current.get());
    return keys.rotate().toJSONObject(true);
  }
}
