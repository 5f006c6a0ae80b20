package org.pancat.catalogue;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.anonymous;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.changeHead;
import static org.pancat.support.Api.changesAfter;
import static org.pancat.support.Api.sha256;
import static org.pancat.support.Api.software;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;
import org.pancat.kernel.CanonicalJson;
import org.pancat.support.Api;
import org.pancat.support.Signing;
import org.pancat.support.Tokens;

/** Registration through the HTTP API: writes, immutability, tombstones and their change log. */
@QuarkusTest
class RegistrationTest {
  private static final String ESRF = Tokens.publisher("esrf");

  @Inject SessionFactory sessionFactory;

  @Test
  void createThenSameAgainAppendsNothingThenUpdateAppendsOne() {
    String slug = uniqueSlug("tool");
    long before = changeHead();
    as(ESRF)
        .body(software("Tool", "MIT"))
        .put("/api/v1/software/esrf/" + slug)
        .then()
        .statusCode(201)
        .header("Location", containsString("/api/v1/software/esrf/" + slug))
        .body("id", equalTo("esrf/" + slug))
        .body("createdBy", equalTo("pancat-dev#pub-esrf"));
    assertEquals(before + 1, changeHead());

    as(ESRF)
        .body(software("Tool", "MIT"))
        .put("/api/v1/software/esrf/" + slug)
        .then()
        .statusCode(200);
    assertEquals(before + 1, changeHead(), "identical document must not append");

    as(ESRF)
        .body(software("Tool", "MIT OR Apache-2.0"))
        .put("/api/v1/software/esrf/" + slug)
        .then()
        .statusCode(200)
        .body("licence", equalTo("MIT OR Apache-2.0"));
    assertEquals(before + 2, changeHead());

    JsonPath changes = changesAfter(before);
    assertEquals(List.of("upsert", "upsert"), changes.getList("items.op"));
    assertEquals(List.of("software", "software"), changes.getList("items.entity"));
    assertEquals("esrf/" + slug, changes.getString("items[1].id"));
    assertEquals("pancat-dev#pub-esrf", changes.getString("items[1].actor"));
    assertEquals("MIT OR Apache-2.0", changes.getString("items[1].body.licence"));
    assertEquals(before + 1, changes.getLong("items[0].seq"));
  }

  @Test
  void releasesAndArtifactsAreImmutable() {
    String base = registerSoftware();
    long before = changeHead();
    Map<String, Object> release = Map.of("releaseDate", "2025-05-20", "notes", "first");
    as(ESRF).body(release).put(base + "/releases/1.0.0").then().statusCode(201);
    as(ESRF).body(release).put(base + "/releases/1.0.0").then().statusCode(200);
    as(ESRF)
        .body(Map.of("releaseDate", "2025-05-21", "notes", "first"))
        .put(base + "/releases/1.0.0")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", equalTo("/problems/immutable-conflict"));
    as(ESRF).body(release).put(base + "/releases/1.0.0-RC1").then().statusCode(201);
    as(ESRF)
        .body(release)
        .put(base + "/releases/1.0.0-rc1")
        .then()
        .statusCode(409)
        .body("detail", containsString("1.0.0-RC1"));
    assertEquals(before + 2, changeHead());

    Map<String, Object> artifact = ociArtifact("registry.esrf.fr/pan/tool:1.0.0", sha256('a'));
    String id =
        as(ESRF)
            .body(artifact)
            .post(base + "/releases/1.0.0/artifacts")
            .then()
            .statusCode(201)
            .body("reference", equalTo("registry.esrf.fr/pan/tool:1.0.0"))
            .body("digest", equalTo(sha256('a')))
            .body("access.granted", equalTo(true))
            .body("trust.class", equalTo("untrusted"))
            .extract()
            .path("id");
    as(ESRF)
        .body(artifact)
        .post(base + "/releases/1.0.0/artifacts")
        .then()
        .statusCode(200)
        .body("id", equalTo(id));
    as(ESRF)
        .body(ociArtifact("registry.esrf.fr/pan/tool:1.0.0", sha256('b')))
        .post(base + "/releases/1.0.0/artifacts")
        .then()
        .statusCode(409)
        .body("type", equalTo("/problems/immutable-conflict"));
    assertEquals(before + 3, changeHead());
    JsonPath changes = changesAfter(before + 2);
    assertEquals("artifact", changes.getString("items[0].entity"));
    assertEquals(id, changes.getString("items[0].id"));
    assertEquals("1.0.0", changes.getString("items[0].version"));

    given()
        .get(base + "/releases/1.0.0")
        .then()
        .statusCode(200)
        .body("artifacts", hasSize(1))
        .body("artifacts[0].id", equalTo(id));
    given()
        .get(base + "/releases/1.0.0/artifacts/" + id)
        .then()
        .statusCode(200)
        .body("kind", equalTo("oci-image"));
    given()
        .get(base)
        .then()
        .body("versions", equalTo(List.of("1.0.0-RC1", "1.0.0")))
        .body("sharing", equalTo("open"));
  }

  @Test
  void signaturesAndProvenanceAreStoredWithChanges() {
    String base = registerSoftware();
    as(ESRF)
        .body(Map.of("releaseDate", "2025-01-01"))
        .put(base + "/releases/2.0")
        .then()
        .statusCode(201);
    String digest = "sha256:" + "0123456789abcdef".repeat(4);
    String id =
        as(ESRF)
            .body(ociArtifact("registry.esrf.fr/pan/tool:2.0", digest))
            .post(base + "/releases/2.0/artifacts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String artifactPath = base + "/releases/2.0/artifacts/" + id;
    long before = changeHead();

    Map<String, Object> signature = new Signing().keySignature(digest);
    as(ESRF)
        .body(signature)
        .post(artifactPath + "/signatures")
        .then()
        .statusCode(201)
        .body("id", startsWith("hmac:"))
        .body("verified.identity", startsWith("sha256:"));
    as(ESRF).body(signature).post(artifactPath + "/signatures").then().statusCode(200);
    as(ESRF)
        .body(
            Map.of(
                "kind",
                "public-key",
                "publicKey",
                "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----",
                "signature",
                "not base64!"))
        .post(artifactPath + "/signatures")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("signature"));
    as(ESRF)
        .body(Map.of("kind", "sigstore-bundle", "bundle", Map.of("mediaType", "text/plain")))
        .post(artifactPath + "/signatures")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("bundle.mediaType"));

    Map<String, Object> statement = provenance(digest);
    as(ESRF)
        .body(statement)
        .post(artifactPath + "/provenance")
        .then()
        .statusCode(201)
        .body("builderId", equalTo("https://github.com/actions/runner"))
        .body("sourceRepository", equalTo("git+https://github.com/silx-kit/pyFAI"))
        .body("sourceCommit", equalTo("4f1e2a"));
    as(ESRF)
        .body(provenance(sha256('c')))
        .post(artifactPath + "/provenance")
        .then()
        .statusCode(422)
        .body("type", equalTo("/problems/unprocessable"))
        .body("detail", containsString("digest"));
    // signature and provenance, each followed by the artifact's re-evaluated trust
    assertEquals(before + 4, changeHead());

    given()
        .get(artifactPath)
        .then()
        .statusCode(200)
        .body("signatures", hasSize(1))
        .body("provenance[0].builderId", equalTo("https://github.com/actions/runner"))
        .body("trust.class", equalTo("untrusted"))
        .body("trust.signers[0].kind", equalTo("public-key"))
        .body("trust.reasons[0]", startsWith("signed by key sha256:"));
    given()
        .get(artifactPath + "/signatures")
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("total", equalTo(1));
    given()
        .get(artifactPath + "/provenance")
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("total", equalTo(1));
  }

  @Test
  void withdrawalLeavesTombstonesAndIsIdempotent() {
    String base = registerSoftware();
    String id = releaseWithArtifact(base, "3.1", "registry.esrf.fr/pan/tool:3.1", sha256('d'));
    long before = changeHead();
    as(ESRF)
        .queryParam("reason", "built from the wrong branch")
        .delete(base + "/releases/3.1/artifacts/" + id)
        .then()
        .statusCode(200)
        .body("withdrawn.reason", equalTo("built from the wrong branch"));
    as(ESRF)
        .queryParam("reason", "again")
        .delete(base + "/releases/3.1/artifacts/" + id)
        .then()
        .statusCode(200)
        .body("withdrawn.reason", equalTo("built from the wrong branch"));
    as(ESRF)
        .queryParam("reason", "security issue")
        .delete(base + "/releases/3.1")
        .then()
        .statusCode(200);
    as(ESRF)
        .body(ociArtifact("registry.esrf.fr/pan/tool:3.1b", sha256('e')))
        .post(base + "/releases/3.1/artifacts")
        .then()
        .statusCode(409);
    as(ESRF)
        .queryParam("reason", "superseded")
        .delete(base)
        .then()
        .statusCode(200)
        .body("withdrawn.reason", equalTo("superseded"));
    as(ESRF).body(software("Tool", "MIT")).put(base).then().statusCode(409);
    as(ESRF).delete(base).then().statusCode(400).body("errors[0].field", equalTo("reason"));
    assertEquals(before + 3, changeHead());
    JsonPath changes = changesAfter(before);
    assertEquals(List.of("tombstone", "tombstone", "tombstone"), changes.getList("items.op"));
    assertEquals(List.of("artifact", "release", "software"), changes.getList("items.entity"));

    given().get(base).then().statusCode(200).body("withdrawn.reason", equalTo("superseded"));
    String slug = base.substring(base.lastIndexOf('/') + 1);
    assertFalse(esrfSlugs(false).contains(slug), "withdrawn software is not listed");
    assertTrue(esrfSlugs(true).contains(slug), "it is listed when withdrawn ones are asked for");
  }

  /** Every page of ESRF's software: other test classes of the run register software there too. */
  private static List<String> esrfSlugs(boolean withdrawn) {
    List<String> slugs = new ArrayList<>();
    long total;
    int page = 1;
    do {
      JsonPath listed =
          given()
              .queryParam("facility", "esrf")
              .queryParam("withdrawn", withdrawn)
              .queryParam("size", 100)
              .queryParam("page", page++)
              .get("/api/v1/software")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      slugs.addAll(listed.getList("items.slug", String.class));
      total = listed.getLong("total");
    } while (slugs.size() < total);
    return slugs;
  }

  @Test
  void readingWritesNothing() {
    String base = registerSoftware();
    String artifact =
        releaseWithArtifact(base, "1.0", "registry.esrf.fr/pan/read:1.0", sha256('7'));
    Statistics statistics = sessionFactory.getStatistics();
    long updates = statistics.getEntityUpdateCount();
    long inserts = statistics.getEntityInsertCount();

    given().get(base).then().statusCode(200);
    given().get(base + "/releases").then().statusCode(200);
    given().get(base + "/releases/1.0").then().statusCode(200);
    as(ESRF).get(base + "/releases/1.0/artifacts/" + artifact).then().statusCode(200);
    given().queryParam("facility", "esrf").get("/api/v1/software").then().statusCode(200);
    given().queryParam("q", "tool").get("/api/v1/software").then().statusCode(200);

    assertEquals(updates, statistics.getEntityUpdateCount(), "rows updated by reads");
    assertEquals(inserts, statistics.getEntityInsertCount(), "rows inserted by reads");
  }

  @Test
  void publisherOfOneFacilityCannotWriteAnother() {
    String base = registerSoftware();
    as(ESRF).body(Map.of()).put(base + "/releases/1").then().statusCode(201);
    String desy = Tokens.publisher("desy");
    String other = "/api/v1/software/esrf/" + uniqueSlug("x");
    long before = changeHead();
    as(desy)
        .body(software("X", "MIT"))
        .put(other)
        .then()
        .statusCode(403)
        .body("type", equalTo("/problems/forbidden"));
    as(desy).body(software("X", "MIT")).put(base).then().statusCode(403);
    as(desy).body(Map.of()).put(base + "/releases/2").then().statusCode(403);
    as(desy)
        .body(ociArtifact("r.example/a/b", sha256('f')))
        .post(base + "/releases/1/artifacts")
        .then()
        .statusCode(403);
    as(desy).queryParam("reason", "no").delete(base).then().statusCode(403);
    as(desy).body(Map.of("name", "DESY?")).put("/api/v1/facilities/esrf").then().statusCode(403);
    String user = Tokens.user("bob", "esrf", List.of());
    as(user).body(software("X", "MIT")).put(other).then().statusCode(403);
    anonymous()
        .body(software("X", "MIT"))
        .put(other)
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", startsWith("Bearer"));
    anonymous().queryParam("reason", "no").delete(base).then().statusCode(401);
    assertEquals(before, changeHead());

    // an admin may write any facility
    as(Tokens.admin()).body(software("Admin made", "MIT")).put(other).then().statusCode(201);
  }

  @Test
  void facilitiesAreAdminWritten() {
    String id = "fac-" + System.nanoTime() % 100000;
    Map<String, Object> doc = Map.of("name", "Test Light Source", "country", "Nowhere");
    as(ESRF).body(doc).put("/api/v1/facilities/" + id).then().statusCode(403);
    as(Tokens.admin()).body(doc).put("/api/v1/facilities/" + id).then().statusCode(201);
    as(Tokens.admin()).body(doc).put("/api/v1/facilities/" + id).then().statusCode(200);
    given()
        .get("/api/v1/facilities/" + id)
        .then()
        .statusCode(200)
        .body("name", equalTo("Test Light Source"));
    given()
        .get("/api/v1/facilities/nope-" + id)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    as(Tokens.publisher(id))
        .body(software("Needs facility", "MIT"))
        .put("/api/v1/software/" + id + "/x")
        .then()
        .statusCode(201);
    as(Tokens.publisher("unknown-fac"))
        .body(software("No facility", "MIT"))
        .put("/api/v1/software/unknown-fac/x")
        .then()
        .statusCode(404);
  }

  @Test
  void listsArePagedInStableOrderWithTotals() {
    JsonPath first =
        given()
            .queryParam("size", 5)
            .get("/api/v1/software")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    long total = first.getLong("total");
    List<String> all = new ArrayList<>();
    int pages = (int) ((total + 4) / 5);
    for (int page = 1; page <= pages; page++) {
      JsonPath p =
          given()
              .queryParam("size", 5)
              .queryParam("page", page)
              .get("/api/v1/software")
              .then()
              .extract()
              .jsonPath();
      assertEquals(total, p.getLong("total"));
      all.addAll(p.getList("items.id"));
    }
    assertEquals(total, all.size());
    assertEquals(all.stream().sorted().toList(), all, "stable order by id");
    assertEquals(all.size(), all.stream().distinct().count(), "no item on two pages");
    given()
        .queryParam("size", 101)
        .get("/api/v1/software")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("size"));
    given()
        .queryParam("page", 0)
        .get("/api/v1/software")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("page"));
    given().queryParam("page", "two").get("/api/v1/software").then().statusCode(400);
    given()
        .queryParam("page", pages + 1)
        .get("/api/v1/software")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
    given().get("/api/v1/facilities").then().statusCode(200).body("total", notNullValue());
  }

  @Test
  void restrictedReferenceIsHiddenFromOthers() {
    String base = registerSoftware();
    as(ESRF).body(Map.of()).put(base + "/releases/9").then().statusCode(201);
    as(Tokens.admin())
        .body(Map.of("title", "XDS terms", "version", "2024", "text", "terms"))
        .put("/api/v1/licences/LicenseRef-XDS")
        .then()
        .statusCode(anyOf(equalTo(200), equalTo(201)));
    Map<String, Object> restricted =
        Map.of(
            "kind",
            "oci-image",
            "reference",
            "registry.esrf.fr/licensed/xds:9",
            "digest",
            sha256('9'),
            "sharing",
            Map.of(
                "class",
                "restricted",
                "conditions",
                Map.of("licence", Map.of("id", "LicenseRef-XDS", "version", "2024"))));
    String id =
        as(ESRF)
            .body(restricted)
            .post(base + "/releases/9/artifacts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String path = base + "/releases/9/artifacts/" + id;
    for (String body :
        List.of(
            given().get(path).asString(),
            given().get(base + "/releases/9").asString(),
            as(Tokens.user("carol", "desy", List.of())).get(path).asString(),
            given().get(base + "/releases").asString())) {
      org.junit.jupiter.api.Assertions.assertFalse(
          body.contains("registry.esrf.fr/licensed/xds"), body);
    }
    given()
        .get(path)
        .then()
        .body("access.granted", equalTo(false))
        .body("reference", nullValue())
        .body("sharing.class", equalTo("restricted"));
    as(ESRF).get(path).then().body("reference", equalTo("registry.esrf.fr/licensed/xds:9"));
    as(Tokens.admin())
        .get(path)
        .then()
        .body("reference", equalTo("registry.esrf.fr/licensed/xds:9"));
  }

  @Test
  void conditionsNobodyCouldMeetAreRefused() {
    String base = registerSoftware();
    as(ESRF).body(Map.of()).put(base + "/releases/1").then().statusCode(201);
    String licence = "LicenseRef-Unmet-" + base.substring(base.lastIndexOf('/') + 1);
    long head = changeHead();
    as(ESRF)
        .body(restricted("registry.esrf.fr/licensed/unmet:1", Map.of("id", licence)))
        .post(base + "/releases/1/artifacts")
        .then()
        .statusCode(422)
        .body("type", equalTo("/problems/unprocessable"))
        .body("detail", containsString(licence + " is not published on this node"));
    as(Tokens.admin())
        .body(Map.of("title", "Unmet terms", "version", "3", "text", "terms"))
        .put("/api/v1/licences/" + licence)
        .then()
        .statusCode(201);
    long afterLicence = changeHead();
    as(ESRF)
        .body(
            restricted("registry.esrf.fr/licensed/unmet:1", Map.of("id", licence, "version", "2")))
        .post(base + "/releases/1/artifacts")
        .then()
        .statusCode(422)
        .body("detail", containsString("is at version 3 on this node"));
    assertEquals(afterLicence, changeHead(), "nothing stored");
    assertEquals(head + 1, afterLicence, "only the licence was written");
    Map<String, Object> pinned =
        restricted("registry.esrf.fr/licensed/unmet:1", Map.of("id", licence, "version", "3"));
    String id =
        as(ESRF)
            .body(pinned)
            .post(base + "/releases/1/artifacts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    // the licence moves on: the published artifact is the same, and posting it again still is
    as(Tokens.admin())
        .body(Map.of("title", "Unmet terms", "version", "4", "text", "new terms"))
        .put("/api/v1/licences/" + licence)
        .then()
        .statusCode(200);
    as(ESRF)
        .body(pinned)
        .post(base + "/releases/1/artifacts")
        .then()
        .statusCode(200)
        .body("id", equalTo(id));
  }

  /** Evidence that names a restricted image is a reveal too: audited like the detail read. */
  @Test
  void readingTheEvidenceOfARestrictedArtifactIsAudited() {
    String base = registerSoftware();
    as(ESRF).body(Map.of()).put(base + "/releases/1").then().statusCode(201);
    String licence = "LicenseRef-Audit-" + base.substring(base.lastIndexOf('/') + 1);
    as(Tokens.admin())
        .body(Map.of("title", "Audit terms", "version", "1", "text", "terms"))
        .put("/api/v1/licences/" + licence)
        .then()
        .statusCode(201);
    String reference = "registry.esrf.fr/licensed/audited:1";
    String id =
        as(ESRF)
            .body(restricted(reference, Map.of("id", licence)))
            .post(base + "/releases/1/artifacts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String path = base + "/releases/1/artifacts/" + id;
    as(ESRF)
        .body(new Signing().simpleSigning(reference, sha256('5')))
        .post(path + "/signatures")
        .then()
        .statusCode(201);
    for (String evidence : List.of("/signatures", "/provenance")) {
      long before = auditedReveals(id);
      as(ESRF).get(path + evidence).then().statusCode(200);
      assertEquals(before + 1, auditedReveals(id), evidence + " is audited");
      given().get(path + evidence).then().statusCode(200);
      assertEquals(before + 1, auditedReveals(id), "a caller who got nothing is not a reveal");
    }
  }

  private static long auditedReveals(String artifactId) {
    return Api.recentAudit().stream()
        .filter(e -> "reveal".equals(e.get("action")) && artifactId.equals(e.get("target")))
        .count();
  }

  /**
   * An id is public, a restricted reference is not: the id must not be a function of the reference
   * that anyone can compute. The hash the node used before keyed ids is the first guess an attacker
   * tries; a second artifact with the same kind and reference in another release gets an unrelated
   * id; the same POST again finds the same artifact.
   */
  @Test
  void artifactIdsRevealNothingAboutTheReference() throws Exception {
    String base = registerSoftware();
    String softwareId = base.substring("/api/v1/software/".length());
    String reference = "registry.esrf.fr/pan/guess:1";
    String id = releaseWithArtifact(base, "1", reference, sha256('1'));
    String unkeyed =
        CanonicalJson.sha256(softwareId + "@1\noci-image\n" + reference).substring(0, 24);
    assertNotEquals(unkeyed, id);
    as(ESRF)
        .body(ociArtifact(reference, sha256('1')))
        .post(base + "/releases/1/artifacts")
        .then()
        .statusCode(200)
        .body("id", equalTo(id));
    as(ESRF)
        .body(ociArtifact(reference, sha256('2')))
        .post(base + "/releases/1/artifacts")
        .then()
        .statusCode(409);
    String other = releaseWithArtifact(base, "2", reference, sha256('1'));
    assertNotEquals(id, other);
  }

  private static Map<String, Object> restricted(String reference, Map<String, String> licence) {
    return Map.of(
        "kind",
        "oci-image",
        "reference",
        reference,
        "digest",
        sha256('5'),
        "sharing",
        Map.of("class", "restricted", "conditions", Map.of("licence", licence)));
  }

  static String registerSoftware() {
    String slug = uniqueSlug("tool");
    as(ESRF)
        .body(software("Tool " + slug, "MIT"))
        .put("/api/v1/software/esrf/" + slug)
        .then()
        .statusCode(201);
    return "/api/v1/software/esrf/" + slug;
  }

  /** Publishes release {@code version} of {@code base} with one OCI image; the artifact's id. */
  static String releaseWithArtifact(String base, String version, String reference, String digest) {
    as(ESRF).body(Map.of()).put(base + "/releases/" + version).then().statusCode(201);
    return as(ESRF)
        .body(ociArtifact(reference, digest))
        .post(base + "/releases/" + version + "/artifacts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  static Map<String, Object> ociArtifact(String reference, String digest) {
    return Map.of(
        "kind",
        "oci-image",
        "reference",
        reference,
        "digest",
        digest,
        "platforms",
        List.of(Map.of("os", "linux", "arch", "amd64")),
        "runtimes",
        List.of("docker", "apptainer"),
        "requirements",
        Map.of("gpuVendor", "nvidia", "cudaMin", "12.0"));
  }

  static Map<String, Object> provenance(String digest) {
    String[] parts = digest.split(":");
    return Map.of(
        "_type",
        "https://in-toto.io/Statement/v1",
        "subject",
        List.of(Map.of("name", "registry.esrf.fr/pan/tool", "digest", Map.of(parts[0], parts[1]))),
        "predicateType",
        "https://slsa.dev/provenance/v1",
        "predicate",
        Map.of(
            "buildDefinition",
                Map.of(
                    "buildType",
                    "https://actions.github.io/buildtypes/workflow/v1",
                    "resolvedDependencies",
                    List.of(
                        Map.of(
                            "uri",
                            "git+https://github.com/silx-kit/pyFAI",
                            "digest",
                            Map.of("gitCommit", "4f1e2a")))),
            "runDetails", Map.of("builder", Map.of("id", "https://github.com/actions/runner"))));
  }
}
