package org.pancat.kernel;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * This node's secret for naming things ({@code node_secret}, made by migration V11): public ids
 * (artifacts, signatures, statements) are keyed HMACs, so nobody without the secret can test a
 * guessed restricted reference or document against an id.
 */
@ApplicationScoped
public class NodeSecret {
  private final EntityManager em;
  private volatile SecretKeySpec key;

  NodeSecret(EntityManager em) {
    this.em = em;
  }

  /** HMAC-SHA256 of {@code text} (UTF-8) keyed with the node's secret. */
  public byte[] hmac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key());
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * The id of a signature or statement attached to an artifact (one document may be on several).
   */
  public String itemId(String artifactId, String canonicalDocument) {
    return "hmac:" + HexFormat.of().formatHex(hmac(artifactId + "\n" + canonicalDocument));
  }

  private SecretKeySpec key() {
    SecretKeySpec k = key;
    if (k == null) {
      String secret =
          (String)
              em.createNativeQuery("SELECT secret FROM node_secret WHERE name = 'artifact-ids'")
                  .getSingleResult();
      k = new SecretKeySpec(HexFormat.of().parseHex(secret), "HmacSHA256");
      key = k;
    }
    return k;
  }
}
