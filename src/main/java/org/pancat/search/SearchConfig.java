package org.pancat.search;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Search index settings. The index is derived data: delete it and it is rebuilt on start. */
@ConfigMapping(prefix = "pancat.search")
public interface SearchConfig {
  Lucene lucene();

  interface Lucene {
    /** Where the embedded Lucene index lives. */
    @WithDefault("./data/index")
    String directory();

    /**
     * How often indexed changes are made durable. Changes are searchable at once; a crash loses at
     * most this much indexing, which is redone from the change log on the next start.
     */
    @WithDefault("5s")
    Duration commitInterval();
  }
}
