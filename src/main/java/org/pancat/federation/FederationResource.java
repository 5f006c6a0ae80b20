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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.pancat.access.AccessPolicy;
import org.pancat.access.CurrentPrincipal;
import org.pancat.access.Principal;
import org.pancat.catalogue.CatalogueQueries;
import org.pancat.catalogue.Views;
import org.pancat.kernel.ApiDocument;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;
import org.pancat.kernel.QueryParams;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

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
  private final PeerStatusBoard board;
  private final PeerDirectory peers;
  private final AccessPolicy policy;
  private final CurrentPrincipal current;
  private final CatalogueQueries catalogue;

  FederationResource(
      FeedExporter feed,
      SnapshotExporter snapshots,
      NodeKeys keys,
      PeerSync sync,
      PeerStatusBoard board,
      PeerDirectory peers,
      AccessPolicy policy,
      CurrentPrincipal current,
      CatalogueQueries catalogue) {
    this.feed = feed;
    this.snapshots = snapshots;
    this.keys = keys;
    this.sync = sync;
    this.board = board;
    this.peers = peers;
    this.policy = policy;
    this.current = current;
    this.catalogue = catalogue;
  }

  /** The answer to a peer's notification. */
  public record PullQueued(String pull) {}

  @GET
  @Path("/changes")
  @Produces(JOSE)
  @Operation(
      operationId = "getFeedPage",
      summary =
          "A page of the change feed after a cursor, as a compact JWS (ES256) by this node; each"
              + " entry carries its origin's signature (peer nodes and admins)",
      description =
          "A page of this node's change feed after a cursor, as one compact JWS (ES256) by the node key. Each entry keeps its origin's signature; non-shareable references are never in it. Peer nodes (signed request) and admins.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  @SecurityRequirement(name = ApiDocument.NODE_SIGNATURE)
  public String changes(
      @QueryParam("after")
          @Parameter(
              description = "Feed cursor: the sequence number after which to read",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
          String after,
      @QueryParam("limit")
          @Parameter(
              description = "Most entries in the page",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "" + FeedExporter.MAX_PAGE,
                      defaultValue = "500"))
          String limit) {
    policy.requireFederationPeer(current.get());
    notePuller();
    return feed.page(
        QueryParams.number("after", after, 0, 0, Long.MAX_VALUE),
        (int) QueryParams.number("limit", limit, 500, 1, FeedExporter.MAX_PAGE));
  }

  @GET
  @Path("/snapshot")
  @Produces(NDJSON)
  @Operation(
      operationId = "getSnapshot",
      summary =
          "The latest entry of every key at one sequence number, streamed as JSON lines between a"
              + " signed header and a signed trailer that covers every line (peer nodes and"
              + " admins)",
      description =
          "The latest entry of every key at one sequence number, for a new peer to start from: JSON lines between a signed header and a signed trailer that covers every line. Peer nodes (signed request) and admins.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  @SecurityRequirement(name = ApiDocument.NODE_SIGNATURE)
  @APIResponse(
      responseCode = "200",
      description = "The snapshot stream",
      content =
          @Content(
              mediaType = NDJSON,
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      description =
                          "JSON lines: a header signed by the node key, one feed entry per line,"
                              + " and a trailer whose signature covers every line")))
  public StreamingOutput snapshot() {
    policy.requireFederationPeer(current.get());
    notePuller();
    return snapshots.snapshot();
  }

  /** A peer node reading the feed pulls from this node: it is notified of new changes. */
  private void notePuller() {
    if (current.get().isPeer()) {
      sync.pulledBy(current.get().subject());
    }
  }

  @GET
  @Path("/peers")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "listPeers",
      summary =
          "Each peer: cursor, entries behind, lag in seconds, last success and last error (admin)",
      description =
          "Each peer in this node's peers file with its cursor, entries behind, lag, last success and last error. Admins only.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public Page<PeerStatus> peers(@QueryParam("page") String page, @QueryParam("size") String size) {
    policy.requireAdmin(current.get());
    return Page.of(board.statuses(), Paging.of(page, size));
  }

  @GET
  @Path("/origins")
  @Produces(JOSE)
  @Operation(
      operationId = "getOriginList",
      summary =
          "The origins this node pins, with their key fingerprints and keys, as a compact JWS by"
              + " this node (peer nodes and admins)",
      description =
          "The nodes of this node's peers file with the key fingerprints it pins and the keys it holds of each, signed by the node key: a peer that lets this node vouch (vouchesForOrigins) pins an origin it does not know from this list, once. Peer nodes (signed request) and admins.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  @SecurityRequirement(name = ApiDocument.NODE_SIGNATURE)
  public String origins() {
    policy.requireFederationPeer(current.get());
    return peers.signedOriginList();
  }

  @GET
  @Path("/peers-file")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "getPeersFile",
      summary = "The peers file as last loaded, and why it was refused if it was (admin)",
      description =
          "The running peers configuration: when it was loaded, when the file was last read, and the reason a changed file was refused (the running configuration then stays). Admins only.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public PeerDirectory.PeersFileStatus peersFile() {
    policy.requireAdmin(current.get());
    return peers.fileStatus();
  }

  @POST
  @Path("/peers/reload")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "reloadPeers",
      summary = "Read the peers file again and apply it if it is valid (admin)",
      description =
          "Reads the peers file now (it is also checked every pancat.federation.peers-file-check). A valid file becomes the running configuration: added peers are pulled, removed ones no longer, changed pins are learnt again. A broken file is refused with the reason (422) and the running configuration stays. Admins only.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public PeerDirectory.PeersFileStatus reloadPeers() {
    policy.requireAdmin(current.get());
    PeerDirectory.PeersFileStatus status = peers.reload();
    if (status.error() != null) {
      throw new ProblemException(
          ProblemType.UNPROCESSABLE,
          "the peers file was refused and the running configuration stays: " + status.error());
    }
    return status;
  }

  @GET
  @Path("/held")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "listHeldArtifacts",
      summary =
          "Artifacts imported from trusted-only peers and held until this node's trust policy"
              + " trusts them, with their trust here (admin)",
      description =
          "Artifacts a trusted-only peer sent that this node's own trust policy does not trust yet; they become visible when it does. Admins only.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public Page<Views.HeldArtifactView> held(
      @QueryParam("page") String page, @QueryParam("size") String size) {
    policy.requireAdmin(current.get());
    Paging paging = Paging.of(page, size);
    return catalogue.heldArtifacts(paging.page(), paging.size());
  }

  @POST
  @Path("/peers/{id}/sync")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "syncPeer",
      summary = "Pull a peer now and return its status afterwards (admin)",
      description =
          "Pulls one peer now instead of at its next interval and answers its status afterwards. Admins only.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public PeerStatus syncPeer(@PathParam("id") String id) {
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
      operationId = "notifyNews",
      summary =
          "A peer node says it has news: this node pulls it soon (a request signed by the peer's"
              + " node key)",
      description =
          "A peer node says it has new entries; this node queues a pull of that peer. Only a request signed by a peer's pinned node key is accepted.")
  @SecurityRequirement(name = ApiDocument.NODE_SIGNATURE)
  @APIResponse(
      responseCode = "202",
      description = "A pull of the peer is queued",
      content = @Content(schema = @Schema(implementation = PullQueued.class)))
  public RestResponse<PullQueued> notified() {
    Principal peer = current.get();
    policy.requirePeerNode(peer);
    sync.request(peer.subject());
    return RestResponse.accepted(new PullQueued("queued"));
  }

  @POST
  @Path("/keys/rotate")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "rotateNodeKey",
      summary = "Retire the current signing key and start a new one (admin)",
      description =
          "Retires the node's current signing key (it stays published as retired, so older pages still verify) and starts a new one. Admins only.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public Map<String, Object> rotate() {
    policy.requireAdmin(current.get());
    return keys.rotate().toJSONObject(true);
  }
}
