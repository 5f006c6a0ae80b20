package org.pancat.harvest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.pancat.catalogue.ArtifactDocument;
import org.pancat.catalogue.ReleaseDocument;
import org.pancat.catalogue.SoftwareDocument;
import org.pancat.trust.SignatureDocument;

/**
 * What a harvester read for one item (an image tag, a package of an architecture, a CVMFS path),
 * checked and ready to write: the software it belongs to, its release, the artifact, artifacts
 * derived from it, and its evidence (already verified by trust).
 *
 * @param key the item's name within its source ({@code pan/tool:1.0}, {@code deb 3depict amd64})
 * @param digest what the next run compares to tell the item unchanged
 * @param software the software's metadata, used when the harvest creates the software or owns it
 * @param createsSoftware whether the software may be created when it is not registered yet
 * @param derived artifacts made from {@code artifact} (a CVMFS path of an image): written after it,
 *     their {@code derivedFrom} set to its id
 * @param previousDigest the digest the source gave for this item last time, when it moved
 */
record HarvestedItem(
    String key,
    String digest,
    String slug,
    SoftwareDocument software,
    boolean createsSoftware,
    String version,
    ReleaseDocument release,
    ArtifactDocument artifact,
    List<ArtifactDocument> derived,
    List<SignatureDocument> signatures,
    List<JsonNode> provenance,
    List<String> notes,
    String previousDigest) {

  HarvestedItem {
    derived = List.copyOf(derived);
    signatures = List.copyOf(signatures);
    provenance = List.copyOf(provenance);
    notes = List.copyOf(notes);
  }
}
