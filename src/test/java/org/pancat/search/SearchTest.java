package org.pancat.search;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.anonymous;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.sha256;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pancat.changelog.ChangeLog;
import org.pancat.support.Tokens;

/** Capability search over the demo applications. */
@QuarkusTest
class SearchTest {
  private static final String PANET = "http://purl.org/pan-science/PaNET/";
  private static final String ESRF = Tokens.publisher("esrf");

  @Inject SearchIndex index;
  @Inject SearchIndexer indexer;
  @Inject ChangeLog log;

  private static JsonPath search(Object... params) {
    var request = given().queryParam("size", 100);
    for (int i = 0; i < params.length; i += 2) {
      request = request.queryParam((String) params[i], params[i + 1]);
    }
    return request.get("/api/v1/software").then().statusCode(200).extract().jsonPath();
  }

  @Test
  void saxsByAcronymIriAndWords() {
    assertTrue(search("technique", "SAXS").getList("items.id").contains("esrf/pyfai"));
    assertTrue(
        search("technique", PANET + "PaNET01188").getList("items.id").contains("esrf/pyfai"));
    assertTrue(search("technique", "PaNET01188").getList("items.id").contains("esrf/pyfai"));
    JsonPath text = search("q", "small angle x-ray scattering");
    assertTrue(text.getList("items.id").contains("esrf/pyfai"), text.prettify());
    JsonPath saxs = search("technique", "saxs");
    assertEquals("tagged", saxs.getString("items.find { it.id == 'esrf/pyfai' }.matched[0].via"));
    assertEquals(PANET + "PaNET01188", saxs.getString("filters[0].concept"));
  }

  @Test
  void broadTechniqueFindsNarrowerTagsAndSaysVia() {
    JsonPath scattering = search("technique", "x-ray scattering");
    List<Map<String, Object>> matched =
        scattering.getList("items.find { it.id == 'esrf/pyfai' }.matched");
    assertTrue(
        matched.contains(
            Map.of(
                "concept",
                PANET + "PaNET01188",
                "label",
                "small angle x-ray scattering",
                "via",
                "narrower of x-ray scattering")),
        matched.toString());
    JsonPath diffraction = search("technique", "diffraction");
    assertTrue(diffraction.getList("items.id").contains("esrf/fabio"));
    assertTrue(
        diffraction
            .getString("items.find { it.id == 'esrf/fabio' }.matched[0].via")
            .equals("narrower of diffraction"));
    // totals, not pages: other tests register SAXS software too, and a page holds at most 20
    assertTrue(
        search("technique", "x-ray scattering").getLong("total")
            > search("technique", "SAXS").getLong("total"));
  }

  @Test
  void unknownOrAmbiguousFilterTermIs400NamingIt() {
    given()
        .queryParam("technique", "telepathy")
        .get("/api/v1/software")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("technique"))
        .body("detail", containsString("telepathy"));
    given()
        .queryParam("function", "CTF")
        .get("/api/v1/software")
        .then()
        .statusCode(400)
        .body("candidates.size()", equalTo(2));
    given().queryParam("kind", "tarball").get("/api/v1/software").then().statusCode(400);
    given().queryParam("trust", "maybe").get("/api/v1/software").then().statusCode(400);
    given()
        .queryParam("licence", "MIT OR GPL-2.0-only")
        .get("/api/v1/software")
        .then()
        .statusCode(400);
  }

  @Test
  void ambiguousAcronymAsTextOffersInterpretations() {
    JsonPath em = search("q", "EM");
    Map<Object, Object> meanings = new HashMap<>();
    List<Map<String, Object>> interpretations = em.getList("interpretations");
    interpretations.forEach(m -> meanings.put(m.get("concept"), m.get("parameter")));
    assertEquals(
        Map.of(
            PANET + "PaNET01145",
            "technique",
            "https://w3id.org/pancat/vocab/functions/expectation-maximisation",
            "function"),
        meanings);
    org.junit.jupiter.api.Assertions.assertNull(search("q", "pyFAI").get("interpretations"));
  }

  @Test
  void facetsCountTheMatchingSoftware() {
    JsonPath all = search("technique", "x-ray scattering");
    long total = all.getLong("total");
    List<Map<String, Object>> facilities = all.getList("facets.facility");
    long sum = facilities.stream().mapToLong(f -> ((Number) f.get("count")).longValue()).sum();
    assertEquals(total, sum, "every software has exactly one facility");
    for (Map<String, Object> f : facilities) {
      JsonPath one = search("technique", "x-ray scattering", "facility", f.get("value"));
      assertEquals(((Number) f.get("count")).longValue(), one.getLong("total"), f.toString());
    }
    List<Map<String, Object>> techniques = all.getList("facets.technique");
    Map<String, Object> saxs =
        techniques.stream()
            .filter(t -> t.get("value").equals(PANET + "PaNET01188"))
            .findFirst()
            .orElseThrow();
    assertEquals("small angle x-ray scattering", saxs.get("label"));
    assertEquals(
        search("technique", "SAXS").getLong("total"), ((Number) saxs.get("count")).longValue());
  }

  @Test
  void licenceKindAndSharingFilters() {
    assertTrue(search("licence", "mit").getList("items.id").contains("esrf/pyfai"));
    assertTrue(
        search("licence", "LGPL-3.0-only").getList("items.id").contains("pan-community/gemmi"));
    assertTrue(search("kind", "deb").getList("items.id").contains("esrf/pyfai"));
    assertTrue(
        search("kind", "deb", "sharing", "open", "trust", "untrusted")
            .getList("items.id")
            .contains("esrf/pyfai"));
    assertTrue(
        !search("kind", "oci-image", "facility", "pan-community")
            .getList("items.id")
            .contains("esrf/pyfai"));
  }

  @Test
  void writesAreSearchableAtOnceAndWithdrawalsDisappear() {
    String slug = uniqueSlug("gpu-tool");
    String base = "/api/v1/software/esrf/" + slug;
    as(ESRF)
        .body(
            Map.of(
                "name",
                "Holographic reconstructor " + slug,
                "licence",
                "Apache-2.0",
                "techniques",
                List.of("ptychography"),
                "functions",
                List.of("phase retrieval")))
        .put(base)
        .then()
        .statusCode(201);
    as(ESRF).body(Map.of()).put(base + "/releases/1").then().statusCode(201);
    as(ESRF)
        .body(
            Map.of(
                "kind",
                "oci-image",
                "reference",
                "registry.esrf.fr/pan/holo:1",
                "digest",
                sha256('7'),
                "platforms",
                List.of(Map.of("os", "linux", "arch", "arm64")),
                "requirements",
                Map.of("gpuVendor", "nvidia", "cudaMin", "12.2")))
        .post(base + "/releases/1/artifacts")
        .then()
        .statusCode(201);
    String id = "esrf/" + slug;
    assertTrue(search("q", "holographic").getList("items.id").contains(id));
    assertTrue(search("arch", "aarch64", "gpu", "CUDA").getList("items.id").contains(id));
    assertTrue(search("arch", "arm64", "kind", "oci-image").getList("items.id").contains(id));
    assertTrue(!search("arch", "x86_64").getList("items.id").contains(id));
    assertTrue(search("function", "phase retrieval").getList("items.id").contains(id));
    assertTrue(
        search("technique", "ptychography", "function", "phase retrieval")
            .getList("items.id")
            .contains(id));
    String body = given().queryParam("q", "holographic").get("/api/v1/software").asString();
    assertTrue(!body.contains("registry.esrf.fr/pan/holo"), "search hits never carry references");
    as(ESRF).queryParam("reason", "retired").delete(base).then().statusCode(200);
    assertTrue(!search("q", "holographic").getList("items.id").contains(id));
    assertTrue(search("q", "holographic", "withdrawn", true).getList("items.id").contains(id));
  }

  @Test
  void reindexIsAdminOnly() {
    anonymous().post("/api/v1/admin/reindex").then().statusCode(401);
    as(ESRF).post("/api/v1/admin/reindex").then().statusCode(403);
    long software = search().getLong("total");
    int indexed =
        as(Tokens.admin())
            .post("/api/v1/admin/reindex")
            .then()
            .statusCode(200)
            .extract()
            .path("indexed");
    assertTrue(indexed >= software);
    assertEquals(software, search().getLong("total"));
  }

  @Test
  void crashBetweenCommitAndIndexingIsRepairedByCatchUp() {
    String slug = uniqueSlug("lost");
    long before = log.head();
    as(ESRF)
        .body(Map.of("name", "Lost in the crash " + slug, "licence", "MIT"))
        .put("/api/v1/software/esrf/" + slug)
        .then()
        .statusCode(201);
    String id = "esrf/" + slug;
    assertTrue(search("q", "crash").getList("items.id").contains(id));
    // the state a crash leaves: the row committed, the index not (its cursor before the change)
    index.apply(List.of(), List.of(id), new SearchIndex.Cursor(log.logId(), before));
    index.refresh();
    assertTrue(!search("q", "crash").getList("items.id").contains(id));
    indexer.catchUp(); // what the next start runs
    assertTrue(search("q", "crash").getList("items.id").contains(id));
  }

  @Test
  void pagingOfSearchIsStable() {
    JsonPath first =
        given()
            .queryParam("q", "x-ray")
            .queryParam("size", 3)
            .get("/api/v1/software")
            .then()
            .extract()
            .jsonPath();
    JsonPath second =
        given()
            .queryParam("q", "x-ray")
            .queryParam("size", 3)
            .queryParam("page", 2)
            .get("/api/v1/software")
            .then()
            .extract()
            .jsonPath();
    JsonPath both =
        given()
            .queryParam("q", "x-ray")
            .queryParam("size", 6)
            .get("/api/v1/software")
            .then()
            .extract()
            .jsonPath();
    List<Object> joined = new ArrayList<>(first.getList("items.id"));
    joined.addAll(second.getList("items.id"));
    assertEquals(both.getList("items.id"), joined);
    assertEquals(first.getLong("total"), both.getLong("total"));
  }
}
