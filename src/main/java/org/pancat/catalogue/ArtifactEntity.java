package org.pancat.catalogue;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Filter;
import org.hibernate.annotations.FilterDef;

/**
 * An artifact of a release. Held rows are invisible to every query and load by id unless a caller
 * asks for them through {@link ArtifactRepository#includingHeld}: the visibility rule is this
 * filter, on in every session, not a condition each read must remember.
 */
@Entity
@Table(name = "artifact")
@FilterDef(
    name = ArtifactEntity.VISIBLE,
    defaultCondition = "held = false",
    autoEnabled = true,
    applyToLoadByKey = true)
@Filter(name = ArtifactEntity.VISIBLE)
class ArtifactEntity extends Withdrawable {
  /** The filter that hides held artifacts. */
  static final String VISIBLE = "visibleArtifacts";

  /** Derived from release, kind and reference, so the same artifact has the same id everywhere. */
  @Id String id;

  @Column(name = "release_id", nullable = false)
  Long releaseId;

  @Column(nullable = false)
  String kind;

  /** Null for a non-shareable artifact imported from its home node, which keeps the reference. */
  String reference;

  String digest;

  @Column(name = "sharing_class", nullable = false)
  String sharingClass;

  /** Canonical JSON of the {@link ArtifactDocument}. */
  @Column(nullable = false)
  String document;

  @Column(name = "published_at", nullable = false)
  Instant publishedAt;

  @Column(name = "published_by", nullable = false)
  String publishedBy;

  /** For an imported artifact, the origin node's own trust result (JSON), shown as its claim. */
  @Column(name = "origin_trust")
  String originTrust;

  /**
   * Imported from a peer whose import policy is trusted-only: shown only while this node's trust
   * policy judges it trusted.
   */
  @Column(name = "trusted_only", nullable = false)
  boolean trustedOnly;

  /** Hidden from every read (catalogue, search, resolve) while true; see {@link #trustedOnly}. */
  @Column(nullable = false)
  boolean held;
}
