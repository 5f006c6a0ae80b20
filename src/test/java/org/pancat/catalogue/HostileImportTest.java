package org.pancat.catalogue;

import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.anonymous;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.sha256;
import static org.pancat.support.Api.software;
import static org.pancat.support.Api.uniqueSlug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pancat.changelog.Change;
import org.pancat.changelog.ImportOutcome;
import org.pancat.changelog.ImportPolicy;
import org.pancat.kernel.CanonicalJson;
import org.pancat.support.Api;
import org.pancat.support.Tokens;

/**
 * What a hostile peer can send through a verified feed (its own signature is valid; it owns its own
 * facility) must not reach artifacts it does not own: withdraw or judge another node's artifact by
 * naming it under its own software, or take another artifact's id (found in review).
 */
@QuarkusTest
class HostileImportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOSTILE = "hostile-node";

  /** A peer from which this node imports everything (no import policy). */
  private static final ImportPolicy EVERYTHING = policy(false);

  private static ImportPolicy policy(boolean trustedOnly) {
    return new ImportPolicy() {
      @Override
      public boolean acceptsFacility(String facilityId) {
        return true;
      }

      @Override
      public boolean acceptsSharing(String sharingClass) {
        return true;
      }

      @Override
      public boolean acceptsTechniques(List<String> techniques) {
        return true;
      }

      @Override
      public boolean trustedOnly() {
        return trustedOnly;
      }
    };
  }

  @Inject CatalogueImport imports;
  @Inject UserTransaction transaction;
  private long originSeq = 1;

  /**
   * The imports here bypass the change log (they call the importer directly), so the search index
   * does not follow them; rebuild it, so other tests see the index match the database.
   */
  @AfterEach
  void rebuildTheIndex() {
    as(Tokens.admin()).post("/api/v1/admin/reindex").then().statusCode(200);
  }

  @Test
  void aPeerCannotWithdrawJudgeOrTakeTheIdOfAnArtifactItDoesNotOwn() throws Exception {
    String slug = uniqueSlug("victim");
    String base = "/api/v1/software/esrf/" + slug;
    String publisher = Tokens.publisher("esrf");
    as(publisher).body(software("Victim", "MIT")).put(base).then().statusCode(201);
    as(publisher).body(Map.of()).put(base + "/releases/1.0").then().statusCode(201);
    String victim =
        as(publisher)
            .body(Api.image("registry.esrf.fr/pan/" + slug, sha256('a')))
            .post(base + "/releases/1.0/artifacts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    String facility = uniqueSlug("evil").replace('.', '-');
    String own = facility + "/x";
    assertTrue(
        apply(Change.Op.upsert, "facility", facility, null, "{\"name\":\"Evil\"}").applied());
    assertTrue(
        apply(Change.Op.upsert, "software", own, null, "{\"name\":\"x\",\"licence\":\"MIT\"}")
            .applied());
    assertTrue(apply(Change.Op.upsert, "release", own, "1.0", "{}").applied());

    ImportOutcome withdrawal =
        apply(
            Change.Op.tombstone,
            "artifact",
            victim,
            "1.0",
            "{\"software\":\"" + own + "\",\"reason\":\"pwned by peer\"}");
    ImportOutcome judgement =
        apply(
            Change.Op.upsert,
            "trust",
            victim,
            "1.0",
            "{\"software\":\""
                + own
                + "\",\"artifact\":\""
                + victim
                + "\",\"trust\":{\"class\":\"trusted\",\"reasons\":[\"trust me\"]}}");
    // the victim's id claimed for an artifact of the peer's own release
    ImportOutcome squat =
        apply(
            Change.Op.upsert,
            "artifact",
            "0123456789abcdef01234567",
            "1.0",
            "{\"software\":\""
                + own
                + "\",\"idSalt\":\"00\",\"artifact\":{\"kind\":\"oci-image\","
                + "\"reference\":\"registry.evil.example/x:1\"}}");
    assertFalse(withdrawal.applied(), withdrawal.toString());
    assertFalse(judgement.applied(), judgement.toString());
    assertFalse(squat.applied(), squat.toString());
    assertTrue(squat.toString().contains("is not an id of release"), squat.toString());

    JsonPath view =
        anonymous().get(base + "/releases/1.0/artifacts/" + victim).then().extract().jsonPath();
    assertNull(view.get("withdrawn"), view.prettify());
    assertNull(view.get("originTrust"), view.prettify());
    assertNotNull(view.get("id"));
  }

  /**
   * Every facility has one owner, and a change about it from any other origin is skipped with the
   * reason: a facility never imported, this node's own facility, another peer's facility.
   */
  @Test
  void theOwnerRuleSaysWhyAChangeIsSkipped() throws Exception {
    String unknown = uniqueSlug("nowhere").replace('.', '-');
    ImportOutcome notImported =
        apply(
            Change.Op.upsert,
            "software",
            unknown + "/x",
            null,
            "{\"name\":\"x\",\"licence\":\"MIT\"}");
    assertFalse(notImported.applied());
    assertTrue(
        notImported.toString().contains("facility " + unknown + " was not imported"),
        notImported.toString());

    ImportOutcome local =
        apply(Change.Op.upsert, "facility", "esrf", null, "{\"name\":\"Not ESRF\"}");
    assertFalse(local.applied());
    assertTrue(
        local.toString().contains("facility esrf is local: never overwritten"), local.toString());

    String others = uniqueSlug("other").replace('.', '-');
    assertTrue(
        apply("other-node", Change.Op.upsert, "facility", others, null, "{\"name\":\"Other\"}")
            .applied());
    ImportOutcome foreign =
        apply(
            Change.Op.upsert,
            "software",
            others + "/x",
            null,
            "{\"name\":\"x\",\"licence\":\"MIT\"}");
    assertFalse(foreign.applied());
    assertTrue(
        foreign.toString().contains("belongs to other-node, not to " + HOSTILE),
        foreign.toString());
    anonymous()
        .get("/api/v1/facilities/esrf")
        .then()
        .statusCode(200)
        .body("name", not(equalTo("Not ESRF")));
    anonymous().get("/api/v1/software/" + others + "/x").then().statusCode(404);
  }

  /**
   * An artifact imported from a trusted-only peer, and not trusted here, is held: stored, but no
   * read shows it (not one query remembering a condition: the entity's filter), except the
   * operator's list of held artifacts.
   */
  @Test
  void aHeldArtifactIsInvisibleToEveryReadButTheHeldList() throws Exception {
    String facility = uniqueSlug("held").replace('.', '-');
    String software = facility + "/tool";
    String reference = "registry." + facility + ".example/pan/tool";
    ImportPolicy trustedOnly = policy(true);
    assertTrue(
        apply(HOSTILE, Change.Op.upsert, "facility", facility, null, "{\"name\":\"Held\"}")
            .applied());
    assertTrue(
        apply(
                HOSTILE,
                Change.Op.upsert,
                "software",
                software,
                null,
                "{\"name\":\"tool\",\"licence\":\"MIT\"}")
            .applied());
    assertTrue(apply(HOSTILE, Change.Op.upsert, "release", software, "1.0", "{}").applied());
    String id = CanonicalJson.sha256(software + "@1.0\noci-image\n" + reference).substring(0, 24);
    ImportOutcome artifact =
        apply(
            HOSTILE,
            Change.Op.upsert,
            "artifact",
            id,
            "1.0",
            "{\"software\":\""
                + software
                + "\",\"artifact\":{\"kind\":\"oci-image\",\"reference\":\""
                + reference
                + "\",\"digest\":\""
                + sha256('7')
                + "\"}}",
            trustedOnly);
    assertTrue(artifact.applied(), artifact.toString());

    String release = "/api/v1/software/" + software + "/releases/1.0";
    String admin = Tokens.admin();
    List<Supplier<RequestSpecification>> callers = List.of(Api::anonymous, () -> as(admin));
    for (Supplier<RequestSpecification> caller : callers) {
      caller.get().get(release + "/artifacts/" + id).then().statusCode(404);
      caller.get().get(release + "/artifacts/" + id + "/signatures").then().statusCode(404);
      caller.get().get(release).then().statusCode(200).body("artifacts", empty());
      caller.get().get(release + "/artifacts").then().statusCode(200).body("total", equalTo(0));
      caller
          .get()
          .get("/api/v1/software/" + software)
          .then()
          .statusCode(200)
          .body("sharing", nullValue());
    }
    as(admin)
        .get("/api/v1/federation/held?size=100")
        .then()
        .statusCode(200)
        .body("items.id", hasItem(id));
  }

  private ImportOutcome apply(Change.Op op, String entity, String id, String version, String body)
      throws Exception {
    return apply(HOSTILE, op, entity, id, version, body);
  }

  private ImportOutcome apply(
      String origin, Change.Op op, String entity, String id, String version, String body)
      throws Exception {
    return apply(origin, op, entity, id, version, body, EVERYTHING);
  }

  private ImportOutcome apply(
      String origin,
      Change.Op op,
      String entity,
      String id,
      String version,
      String body,
      ImportPolicy policy)
      throws Exception {
    JsonNode json = JSON.readTree(body);
    Change change =
        new Change(
            0,
            op,
            entity,
            id,
            version,
            "evil#x",
            Instant.now(),
            json,
            "",
            origin,
            originSeq++,
            "signature");
    transaction.begin();
    try {
      ImportOutcome outcome = imports.begin(List.of(change), policy).apply(change);
      transaction.commit();
      return outcome;
    } catch (Exception e) {
      transaction.rollback();
      throw e;
    }
  }
}
