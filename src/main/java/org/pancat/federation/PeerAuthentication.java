package org.pancat.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.pancat.access.AuthenticationRefused;
import org.pancat.access.NodeAuthenticator;
import org.pancat.access.Principal;

/**
 * Verifies requests signed by peer nodes: ES256 with a key this node pinned for the claimed node,
 * addressed to this node, for exactly this method and path, and not expired (one minute, with 30
 * seconds of clock skew allowed).
 */
@ApplicationScoped
public class PeerAuthentication implements NodeAuthenticator {
  private static final Duration SKEW = Duration.ofSeconds(30);

  private final PeerDirectory peers;
  private final ObjectMapper mapper;
  private final Clock clock = Clock.systemUTC();

  PeerAuthentication(PeerDirectory peers, ObjectMapper mapper) {
    this.peers = peers;
    this.mapper = mapper;
  }

  @Override
  public Principal authenticate(String signedRequest, String method, String pathAndQuery) {
    JWSObject jws;
    JsonNode claims;
    try {
      jws = JWSObject.parse(signedRequest);
      claims = mapper.readTree(jws.getPayload().toBytes());
    } catch (ParseException | IOException e) {
      throw refused("the signed request is not a compact JWS");
    }
    if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())
        || !PeerClient.REQUEST_TYPE.equals(jws.getHeader().getType())) {
      throw refused("a signed request must be an ES256 pancat-request+jwt");
    }
    String node = claims.path("iss").asText();
    if (peers.peer(node).isEmpty()) {
      throw refused("node '" + node + "' is not a peer of this node");
    }
    ECKey key =
        key(peers.keysOf(node), jws)
            .or(() -> pinnedHeaderKey(node, jws))
            .orElseThrow(() -> refused("the request is signed with a key not pinned for " + node));
    try {
      if (!jws.verify(EcdsaProvider.verifier(key))) {
        throw refused("the request signature does not verify");
      }
    } catch (JOSEException e) {
      throw refused("the request signature does not verify");
    }
    long now = clock.instant().getEpochSecond();
    if (!peers.selfId().equals(claims.path("aud").asText())) {
      throw refused("the request is addressed to another node");
    }
    if (!method.equals(claims.path("htm").asText())
        || !pathAndQuery.equals(claims.path("htu").asText())) {
      throw refused("the request was signed for another method or path");
    }
    if (!claims.path("exp").canConvertToLong()
        || claims.path("exp").asLong() + SKEW.getSeconds() < now
        || claims.path("iat").asLong() - SKEW.getSeconds() > now) {
      throw refused("the signed request has expired");
    }
    return new Principal(
        node,
        NODE_ISSUER,
        Optional.empty(),
        Set.of(),
        Set.of(Principal.ROLE_PEER),
        Optional.empty());
  }

  /**
   * The public key the request carries, if its fingerprint is pinned for the node and the node has
   * not published it as retired: a peer that cannot be reached from here can still sign in.
   */
  private Optional<ECKey> pinnedHeaderKey(String node, JWSObject jws) {
    JWK carried = jws.getHeader().getJWK();
    if (!(carried instanceof ECKey ec) || carried.isPrivate()) {
      return Optional.empty();
    }
    String fingerprint = NodeKeys.fingerprint(carried);
    boolean pinned = peers.peer(node).map(p -> p.keys().contains(fingerprint)).orElse(false);
    boolean retired =
        peers.keysOf(node).getKeys().stream()
            .anyMatch(
                k -> NodeKeys.fingerprint(k).equals(fingerprint) && k.getExpirationTime() != null);
    return pinned && !retired ? Optional.of(ec) : Optional.empty();
  }

  private static Optional<ECKey> key(JWKSet keys, JWSObject jws) {
    String kid = jws.getHeader().getKeyID();
    JWK key = keys == null || kid == null ? null : keys.getKeyByKeyId(kid);
    return key instanceof ECKey ec && key.getExpirationTime() == null
        ? Optional.of(ec)
        : Optional.empty();
  }

  private static AuthenticationRefused refused(String detail) {
    return AuthenticationRefused.refused(detail, NodeAuthenticator.SCHEME);
  }
}
