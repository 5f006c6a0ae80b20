package org.pancat.harvest;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** What a source last yielded for one item, and the artifact it became. */
@Entity
@Table(name = "harvest_item")
class HarvestItemEntity {
  @EmbeddedId Key key;

  @Column(nullable = false)
  String digest;

  @Column(name = "artifact_id")
  String artifactId;

  @Column(name = "software_id")
  String softwareId;

  String version;

  @Column(name = "seen_at", nullable = false)
  Instant seenAt;

  @Column(name = "gone_at")
  Instant goneAt;

  @Embeddable
  record Key(@Column(name = "source_id") String sourceId, @Column(name = "item_key") String itemKey)
      implements Serializable {}
}
