package org.pancat.federation;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.pancat.access.NodeAuthenticator;
import org.pancat.kernel.CanonicalJson;

/**
 * Talks to peer nodes over HTTP. Requests for the feed and notifications are signed with this
 * node's key ({@code Authorization: PancatNode <jws>}) for one method, path and audience, valid for
 * a minute; the peer verifies them against the keys it pinned for this node.
 */
@ApplicationScoped
public class PeerClient {
  static final JOSEObjectType REQUEST_TYPE = new JOSEObjectType("pancat-request+jwt");
  static final Duration REQUEST_VALIDITY = Duration.ofSeconds(60);

  private final NodeKeys keys;
  private final CanonicalJson json;
  private final Duration timeout;
  private final HttpClient http;

  PeerClient(NodeKeys keys, CanonicalJson json, FederationConfig config) {
    this.keys = keys;
    this.json = json;
    this.timeout = config.peerTimeout();
    this.http =
        HttpClient.newBuilder()
            // no h2c upgrade: a POST sent with an upgrade request is refused (411) by the server
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The peer could not be reached or answered with an error; the message says which. */
  public static class PeerUnreachable extends Exception {
    PeerUnreachable(String reason) {
      super(reason, null, false, false);
    }
  }

  JWKSet jwks(PeersFile.Peer peer) throws PeerUnreachable {
    String body = send(peer, "GET", "/.well-known/jwks.json", false);
    try {
      return JWKSet.parse(body);
    } catch (ParseException e) {
      throw new PeerUnreachable("peer " + peer.id() + " published no JWK set");
    }
  }

  /** A page of the peer's feed as the compact JWS it served. */
  String changes(PeersFile.Peer peer, long after, int limit) throws PeerUnreachable {
    return send(peer, "GET", "/api/v1/federation/changes?after=" + after + "&limit=" + limit, true);
  }

  /** The peer's snapshot, as the lines it streamed (signed header, entries, signed trailer). */
  List<String> snapshot(PeersFile.Peer peer) throws PeerUnreachable {
    return send(peer, "GET", "/api/v1/federation/snapshot", true).lines().toList();
  }

  /** The peer's signed list of the origins it pins (compact JWS). */
  String origins(PeersFile.Peer peer) throws PeerUnreachable {
    return send(peer, "GET", "/api/v1/federation/origins", true);
  }

  /** Asks the peer to pull this node now. */
  void notify(PeersFile.Peer peer) throws PeerUnreachable {
    send(peer, "POST", "/api/v1/federation/notify", true);
  }

  /** The {@code Authorization} value for one request to {@code audience}. */
  String signedRequest(String audience, String method, String pathAndQuery) {
    Instant now = Instant.now();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", keys.nodeId());
    claims.put("aud", audience);
    claims.put("htm", method);
    claims.put("htu", pathAndQuery);
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", now.plus(REQUEST_VALIDITY).getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
    byte[] payload = json.write(claims).getBytes(StandardCharsets.UTF_8);
    return NodeAuthenticator.SCHEME + " " + keys.sign(payload, REQUEST_TYPE, true);
  }

  private String send(PeersFile.Peer peer, String method, String pathAndQuery, boolean signed)
      throws PeerUnreachable {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(peer.baseUrl() + pathAndQuery)).timeout(timeout);
    if (signed) {
      request.header("Authorization", signedRequest(peer.id(), method, pathAndQuery));
    }
    // an empty body with Content-Length: 0 (a POST without the header gets 411)
    request.method(
        method,
        "GET".equals(method)
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(""));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new PeerUnreachable("peer " + peer.id() + " is unreachable: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerUnreachable("interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      throw new PeerUnreachable(
          "peer "
              + peer.id()
              + " answered "
              + response.statusCode()
              + " to "
              + method
              + " "
              + pathAndQuery.replaceAll("\\?.*", ""));
    }
    return response.body();
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? "connection failed" : e.getMessage();
  }
}
