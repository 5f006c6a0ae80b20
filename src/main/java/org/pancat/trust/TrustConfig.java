package org.pancat.trust;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Signature verification settings ({@code pancat.trust.*}). */
@ConfigMapping(prefix = "pancat.trust")
public interface TrustConfig {

  /**
   * A Sigstore {@code trusted_root.json} (Fulcio CAs, Rekor and CT log keys, timestamp
   * authorities). Read once at start; verification never fetches anything. Without it the node uses
   * the Sigstore public-good root snapshot it ships with ({@code trust/trusted_root.json}).
   */
  Optional<String> trustedRoot();
}
