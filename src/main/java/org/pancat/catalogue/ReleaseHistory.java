package org.pancat.catalogue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.kernel.EntityKind;

/**
 * A release's full history read from the change log: who published it and its artifacts, which
 * signatures and provenance were attached (and who signed), every trust (re-)evaluation, and
 * withdrawals. Entries are summaries: change bodies hold references, which history never shows.
 */
@ApplicationScoped
public class ReleaseHistory {
  private final EntityManager em;
  private final ChangeLog changeLog;
  private final CatalogueQueries queries;

  ReleaseHistory(EntityManager em, ChangeLog changeLog, CatalogueQueries queries) {
    this.em = em;
    this.changeLog = changeLog;
    this.queries = queries;
  }

  /**
   * @param artifact the artifact an entry is about, null for the release itself
   * @param trustClass and {@code reasons}: the judgement, on trust entries
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Entry(
      long seq,
      Instant at,
      String actor,
      String op,
      String entity,
      String artifact,
      String summary,
      String trustClass,
      Integer policyVersion,
      List<String> reasons) {}

  @Transactional
  public List<Entry> of(String facility, String slug, String version) {
    ReleaseEntity release = queries.releaseEntity(facility, slug, version);
    List<String> artifactIds =
        em.createQuery("select a.id from ArtifactEntity a where a.releaseId = :id", String.class)
            .setParameter("id", release.id)
            .getResultList();
    List<Entry> entries = new ArrayList<>();
    for (Change c : changeLog.ofRelease(release.softwareId, release.version, artifactIds)) {
      entries.add(entry(c));
    }
    return entries;
  }

  private static Entry entry(Change c) {
    JsonNode body = c.body();
    EntityKind kind = c.kind().orElseThrow();
    boolean release = kind == EntityKind.RELEASE;
    String artifact = release ? null : c.id();
    if (c.op() == Change.Op.tombstone) {
      return entry(c, artifact, "withdrawn: " + body.path("reason").asText(), null);
    }
    return switch (kind) {
      case RELEASE -> entry(c, null, "release " + c.version() + " published", null);
      case ARTIFACT ->
          entry(
              c,
              artifact,
              body.path("artifact").path("kind").asText("artifact")
                  + " artifact published"
                  + (body.path("artifact").hasNonNull("digest")
                      ? " with digest " + body.path("artifact").path("digest").asText()
                      : " without a digest"),
              null);
      case SIGNATURE -> {
        JsonNode verified = body.path("signature").path("verified");
        String who =
            verified.hasNonNull("issuer")
                ? verified.path("identity").asText() + " via " + verified.path("issuer").asText()
                : "key " + verified.path("identity").asText();
        yield entry(
            c,
            artifact,
            body.path("signature").path("kind").asText() + " signature verified: signed by " + who,
            null);
      }
      case PROVENANCE -> {
        JsonNode p = body.path("provenance");
        yield entry(
            c,
            artifact,
            "provenance attached: built by "
                + p.path("builderId").asText("an unnamed builder")
                + (p.hasNonNull("sourceRepository")
                    ? " from " + p.path("sourceRepository").asText()
                    : ""),
            null);
      }
      default -> entry(c, artifact, "trust evaluated", body.path("trust"));
    };
  }

  private static Entry entry(Change c, String artifact, String summary, JsonNode trust) {
    List<String> reasons = new ArrayList<>();
    if (trust != null) {
      trust.path("reasons").forEach(r -> reasons.add(r.asText()));
    }
    return new Entry(
        c.seq(),
        c.at(),
        c.actor(),
        c.op().name(),
        c.entity(),
        artifact,
        trust == null ? summary : summary + ": " + trust.path("class").asText(),
        trust == null ? null : trust.path("class").asText(),
        trust == null || !trust.hasNonNull("policyVersion")
            ? null
            : trust.path("policyVersion").asInt(),
        reasons);
  }
}
