package org.pancat.federation;

import com.nimbusds.jose.jwk.JWK;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** How peers discover this node and the keys its feed is signed with. */
@Path("/.well-known")
@Tag(name = "federation")
@Produces(MediaType.APPLICATION_JSON)
public class WellKnownResource {
  private final NodeKeys keys;
  private final FederationConfig config;

  WellKnownResource(NodeKeys keys, FederationConfig config) {
    this.keys = keys;
    this.config = config;
  }

  /**
   * @param keys each public key's id, pinnable fingerprint and validity window
   */
  public record NodeDescription(
      String id, String name, String baseUrl, String feed, String jwks, List<KeyInfo> keys) {}

  public record KeyInfo(
      String kid, String fingerprint, Instant issued, @Schema(nullable = true) Instant retired) {}

  @GET
  @Path("/pancat-node")
  @Operation(
      operationId = "getNodeDescription",
      summary = "This node: id, name, base URL, feed and key fingerprints",
      description =
          "Who this node is: id, name, base URL, feed location and the fingerprints of its signing keys. Peers pin these fingerprints out of band.")
  public NodeDescription node() {
    String base = config.node().baseUrl().replaceAll("/+$", "");
    return new NodeDescription(
        keys.nodeId(),
        config.node().name(),
        base,
        base + "/api/v1/federation/changes",
        base + "/.well-known/jwks.json",
        keys.publicKeys().getKeys().stream().map(WellKnownResource::info).toList());
  }

  @GET
  @Path("/jwks.json")
  @Operation(
      operationId = "getNodeKeys",
      summary = "The node's public signing keys, current and retired, with validity",
      description =
          "The node's public signing keys as a JWK set, current and retired, with their validity.")
  public Map<String, Object> jwks() {
    return keys.publicKeys().toJSONObject(true);
  }

  private static KeyInfo info(JWK k) {
    return new KeyInfo(
        k.getKeyID(),
        NodeKeys.fingerprint(k),
        k.getIssueTime() == null ? null : k.getIssueTime().toInstant(),
        k.getExpirationTime() == null ? null : k.getExpirationTime().toInstant());
  }
}
