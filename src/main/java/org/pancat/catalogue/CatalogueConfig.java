package org.pancat.catalogue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Catalogue settings. */
@ConfigMapping(prefix = "pancat.catalogue")
public interface CatalogueConfig {

  Demo demo();

  interface Demo {
    /**
     * When to load the demo applications and facilities: {@code auto} on first start of an empty
     * embedded (H2) database, {@code always} at every start (idempotent: unchanged entries append
     * nothing), {@code never}.
     */
    @WithDefault("auto")
    Mode load();
  }

  enum Mode {
    auto,
    always,
    never
  }
}
