package org.pancat.resolve;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Launch resolution settings ({@code pancat.resolve.*}). */
@ConfigMapping(prefix = "pancat.resolve")
public interface ResolveConfig {

  /**
   * How many software the launch-candidate cache keeps (least recently used go first); 0 turns it
   * off. Each entry holds the software's live artifacts, parsed.
   */
  @WithDefault("20000")
  int cachedSoftware();
}
