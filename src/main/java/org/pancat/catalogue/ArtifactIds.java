package org.pancat.catalogue;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HexFormat;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.NodeSecret;

/**
 * Names artifacts, and the signatures and statements attached to them. An id is public (URLs,
 * search, the feed) while a restricted reference is not, so no id may be a function of the
 * reference that anyone can compute.
 *
 * <p>An artifact id is {@code sha256(release + salt)}, the salt an HMAC of release, kind and
 * reference keyed with this node's secret ({@link NodeSecret}). The same POST again gives the same
 * id; without the secret nobody can test a guessed reference against it. The salt travels with the
 * artifact's change ({@code idSalt}), so an importing node checks that the id belongs to the
 * release it claims: a peer cannot take the id of another origin's artifact. Artifacts named before
 * V11 keep their id, {@code sha256(release, kind, reference)}, which is checked as such.
 */
@ApplicationScoped
class ArtifactIds {
  /** An artifact id and the salt that binds it to its release. */
  record Named(String id, String salt) {}

  private final NodeSecret secret;

  ArtifactIds(NodeSecret secret) {
    this.secret = secret;
  }

  Named of(String softwareId, String version, String kind, String reference) {
    String salt =
        HexFormat.of()
            .formatHex(
                secret.hmac(softwareId + "@" + version + "\n" + kind + "\n" + reference), 0, 16);
    return new Named(bound(softwareId, version, salt), salt);
  }

  /** Whether {@code id} names an artifact of this release: by its salt, or by the old form. */
  static boolean belongsTo(
      String id, String softwareId, String version, String salt, String kind, String reference) {
    return salt != null
        ? bound(softwareId, version, salt).equals(id)
        : CanonicalJson.sha256(softwareId + "@" + version + "\n" + kind + "\n" + reference)
            .substring(0, 24)
            .equals(id);
  }

  private static String bound(String softwareId, String version, String salt) {
    return CanonicalJson.sha256(softwareId + "@" + version + "\n" + salt).substring(0, 24);
  }
}
