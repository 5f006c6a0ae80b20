package org.pancat.catalogue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Names new artifacts. An id is public (URLs, search, the feed) while a restricted reference is
 * not, so the id is an HMAC keyed with this node's secret ({@code node_secret}, made by migration
 * V11): the same release, kind and reference give the same id on this node, so a repeated POST
 * finds its artifact, but nobody without the secret can confirm a guessed reference against an id.
 * Peers keep the origin's id.
 */
@ApplicationScoped
class ArtifactIds {
  private final EntityManager em;
  private volatile SecretKeySpec key;

  ArtifactIds(EntityManager em) {
    this.em = em;
  }

  String of(String softwareId, String version, String kind, String reference) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key());
      byte[] hash =
          mac.doFinal(
              (softwareId + "@" + version + "\n" + kind + "\n" + reference)
                  .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
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
