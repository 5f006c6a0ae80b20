package org.pancat.kernel;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a change in the log is about. The wire name is what the change log stores and the feed
 * carries; a peer may send a kind this node does not know (a newer version), which is then not
 * imported. Declared in dependency order: what an entry needs (its licence, facility, software,
 * release, artifact) comes before it, which is the order a snapshot is applied in.
 */
public enum EntityKind {
  LICENCE("licence"),
  FACILITY("facility"),
  SOFTWARE("software"),
  RELEASE("release"),
  ARTIFACT("artifact"),
  SIGNATURE("signature"),
  PROVENANCE("provenance"),
  /** An artifact's trust result as the node that holds it judged it. */
  TRUST("trust"),
  TRUST_POLICY("trust-policy"),
  COMPUTE_RESOURCE("compute-resource"),
  VOCABULARY_SCHEME("vocab-scheme"),
  /** Where a facility's software is harvested from: local configuration, never exported. */
  HARVEST_SOURCE("harvest-source");

  private static final Map<String, EntityKind> BY_WIRE_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(k -> k.wireName, Function.identity()));

  private final String wireName;

  EntityKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether a change of this kind is about one artifact (its id is the artifact's). */
  public boolean isAboutArtifact() {
    return this == ARTIFACT || this == SIGNATURE || this == PROVENANCE || this == TRUST;
  }

  public static Optional<EntityKind> ofWireName(String name) {
    return Optional.ofNullable(name == null ? null : BY_WIRE_NAME.get(name));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
