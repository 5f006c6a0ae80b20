package org.pancat.catalogue;

import java.time.Instant;

/**
 * A live artifact considered for launch, with its reference. Only the resolve feature reads this,
 * and it reveals the reference only after the access policy allows the launch.
 */
public record LaunchCandidate(
    String softwareId,
    String softwareName,
    String licence,
    String facility,
    String version,
    Instant releasePublishedAt,
    String artifactId,
    String kind,
    String reference,
    String digest,
    ArtifactDocument artifact,
    String trustClass,
    String signaturesPath) {}
