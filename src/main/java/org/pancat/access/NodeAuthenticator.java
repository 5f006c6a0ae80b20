package org.pancat.access;

/**
 * Authenticates requests a peer node signs with its own key ({@code Authorization: PancatNode
 * <jws>}), so nodes pull each other's feeds and notify each other without an identity provider.
 * Implemented by the federation feature, which knows the peers and their pinned keys.
 */
public interface NodeAuthenticator {
  String SCHEME = "PancatNode";

  /** The issuer of peer-node principals, in audit records and change-log actors. */
  String NODE_ISSUER = "urn:pancat:node";

  /**
   * The peer node as a principal with role {@code peer}.
   *
   * @throws AuthenticationRefused when the request is not validly signed by a known peer for this
   *     node, method and path
   */
  Principal authenticate(String signedRequest, String method, String pathAndQuery);
}
