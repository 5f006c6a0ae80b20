package org.pancat.federation;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.pancat.access.AccessPolicy;
import org.pancat.access.CurrentPrincipal;
import org.pancat.access.Principal;
import org.pancat.catalogue.CatalogueQueries;
import org.pancat.catalogue.Views;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;
import org.pancat.kernel.QueryParams;
import org.pancat.problem.ProblemException;

/** The signed change feed and snapshot peers pull, peer status and sync, and key rotation. */
@Path("/api/v1/federation")
@Tag(name = "federation")
public class FederationResource {
  static final String JOSE = "application/jose";
  static final String NDJSON = "application/x-ndjson";

  private final FeedExporter feed;
  private final SnapshotExporter snapshots;
  private final NodeKeys keys;
  private final PeerSync sync;
  private final PeerDirectory peers;
  private final AccessPolicy policy;
  private final CurrentPrincipal current;
  private final CatalogueQueries catalogue;

  FederationResource(
      FeedExporter feed,
      SnapshotExporter snapshots,
      NodeKeys keys,
      PeerSync sync,
      PeerDirectory peers,
      AccessPolicy policy,
      CurrentPrincipal current,
      CatalogueQueries catalogue) {
    this.feed = feed;
    this.snapshots = snapshots;
    this.keys = keys;
    this.sync = sync;
    this.peers = peers;
    this.policy = policy;
    this.current = current;
    this.catalogue = catalogue;
  }

  @GET
  @Path("/changes")
  @Produces(JOSE)
  @Operation(
      summary =
          "A page of the change feed after a cursor, as a compact JWS (ES256) by this node; each"
              + " entry carries its origin's signature (peer nodes and admins)")
  public String changes(@QueryParam("after") String after, @QueryParam("limit") String limit) {
    policy.requireFederationPeer(current.get());
    return feed.page(
        QueryParams.number("after", after, 0, 0, Long.MAX_VALUE),
        (int) QueryParams.number("limit", limit, 500, 1, FeedExporter.MAX_PAGE));
  }

  @GET
  @Path("/snapshot")
  @Produces(NDJSON)
  @Operation(
      summary =
          "The latest entry of every key at one sequence number, streamed as JSON lines between a"
              + " signed header and a signed trailer that covers every line (peer nodes and"
              + " admins)")
  public StreamingOutput snapshot() {
    policy.requireFederationPeer(current.get());
    return snapshots.snapshot();
  }

  @GET
  @Path("/peers")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Each peer: cursor, entries behind, lag in seconds, last success and last error (admin)")
  public Page<PeerSync.PeerStatus> peers(
      @QueryParam("page") String page, @QueryParam("size") String size) {
    policy.requireAdmin(current.get());
    return Page.of(sync.statuses(), Paging.of(page, size));
  }

  @GET
  @Path("/held")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Artifacts imported from trusted-only peers and held until this node's trust policy"
              + " trusts them, with their trust here (admin)")
  public Page<Views.HeldArtifactView> held(
      @QueryParam("page") String page, @QueryParam("size") String size) {
    policy.requireAdmin(current.get());
    Paging paging = Paging.of(page, size);
    return catalogue.heldArtifacts(paging.page(), paging.size());
  }

  @POST
  @Path("/peers/{id}/sync")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Pull a peer now and return its status afterwards (admin)")
  public PeerSync.PeerStatus syncPeer(@PathParam("id") String id) {
    policy.requireAdmin(current.get());
    if (peers.peer(id).isEmpty()) {
      throw ProblemException.notFound("no peer " + id + " in this node's peers file");
    }
    return sync.syncNow(id);
  }

  @POST
  @Path("/notify")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "A peer node says it has news: this node pulls it soon (a request signed by the peer's"
              + " node key)")
  public RestResponse<Map<String, String>> notified() {
    Principal peer = current.get();
    policy.requirePeerNode(peer);
    sync.request(peer.subject());
    return RestResponse.accepted(Map.of("pull", "queued"));
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
