package org.pancat.vocab;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.anonymous;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.changeHead;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pancat.support.Tokens;

/** The vocabulary API, tagging by term, and scheme replacement with deprecation. */
@QuarkusTest
class VocabApiTest {
  private static final String PANET = "http://purl.org/pan-science/PaNET/";
  private static final String FN = "https://w3id.org/pancat/vocab/functions/";
  private static final String ESRF = Tokens.publisher("esrf");

  @Test
  void schemesAreListedWithVersions() {
    given()
        .get("/api/v1/vocab/schemes")
        .then()
        .statusCode(200)
        .body(
            "items.id", hasItems("techniques", "functions", "formats", "compute", "artifact-kinds"))
        .body("items.find { it.id == 'techniques' }.sourceVersion", equalTo("PaNET 1.3"))
        .body("items.find { it.id == 'techniques' }.concepts", equalTo(380))
        .body("total", equalTo(5))
        .body("page", equalTo(1));
    given()
        .get("/api/v1/vocab/schemes/formats")
        .then()
        .statusCode(200)
        .contentType("text/turtle")
        .body(containsString("NeXus"));
    given()
        .get("/api/v1/vocab/schemes/nope")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  void emMeansTwoThingsInTwoSchemes() {
    JsonPath lookup =
        given()
            .queryParam("q", "EM")
            .get("/api/v1/vocab/lookup")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertTrue(lookup.getBoolean("ambiguous"));
    List<Map<String, Object>> exact =
        lookup.<Map<String, Object>>getList("matches").stream()
            .filter(m -> m.get("match").equals("exact"))
            .toList();
    assertEquals(2, exact.size(), exact.toString());
    assertEquals(
        Map.of(PANET + "PaNET01145", "techniques", FN + "expectation-maximisation", "functions"),
        Map.of(
            exact.get(0).get("iri"),
            exact.get(0).get("scheme"),
            exact.get(1).get("iri"),
            exact.get(1).get("scheme")));
    given()
        .queryParam("q", "em")
        .get("/api/v1/vocab/lookup")
        .then()
        .body("ambiguous", equalTo(true));
  }

  @Test
  void prefixLookupAutocompletes() {
    given()
        .queryParam("q", "small angle x")
        .queryParam("scheme", "techniques")
        .get("/api/v1/vocab/lookup")
        .then()
        .statusCode(200)
        .body("matches.iri", hasItem(PANET + "PaNET01188"))
        .body("matches.match", hasItem("prefix"));
    given()
        .get("/api/v1/vocab/lookup")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("q"));
    given()
        .queryParam("q", "x")
        .queryParam("scheme", "bogus")
        .get("/api/v1/vocab/lookup")
        .then()
        .statusCode(400);
  }

  @Test
  void conceptDetailHasBroaderAndNarrower() {
    given()
        .urlEncodingEnabled(false)
        .get(
            "/api/v1/vocab/concepts/"
                + URLEncoder.encode(PANET + "PaNET01188", StandardCharsets.UTF_8))
        .then()
        .statusCode(200)
        .body("prefLabel", equalTo("small angle x-ray scattering"))
        .body("altLabels", equalTo(List.of("SAXS")))
        .body("broader.iri", hasItem(PANET + "PaNET01184"))
        .body("narrower.iri", hasItem(PANET + "PaNET01162"));
    given()
        .urlEncodingEnabled(false)
        .get(
            "/api/v1/vocab/concepts/"
                + URLEncoder.encode("https://example.org/none", StandardCharsets.UTF_8))
        .then()
        .statusCode(404);
  }

  @Test
  void registrationResolvesTermsAndRefusesUnknownOrAmbiguousOnes() {
    String base = "/api/v1/software/esrf/" + uniqueSlug("tagged");
    as(ESRF)
        .body(
            Map.of(
                "name",
                "Tagged",
                "licence",
                "MIT",
                "techniques",
                List.of("SAXS", "PaNET01101"),
                "functions",
                List.of("FBP"),
                "inputFormats",
                List.of("nexus")))
        .put(base)
        .then()
        .statusCode(201)
        .body("techniques", equalTo(List.of(PANET + "PaNET01188", PANET + "PaNET01101")))
        .body("functions", equalTo(List.of(FN + "filtered-back-projection")))
        .body("inputFormats", equalTo(List.of("https://w3id.org/pancat/vocab/formats/nexus")));
    long head = changeHead();
    as(ESRF)
        .body(Map.of("name", "T", "licence", "MIT", "techniques", List.of("small angle")))
        .put(base)
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("type", equalTo("/problems/unknown-concept"))
        .body("errors[0].field", equalTo("techniques[0]"))
        .body("candidates.iri", hasItem(PANET + "PaNET01188"));
    as(ESRF)
        .body(Map.of("name", "T", "licence", "MIT", "functions", List.of("CTF")))
        .put(base)
        .then()
        .statusCode(422)
        .body("type", equalTo("/problems/ambiguous-term"))
        .body("candidates.iri", hasItems(FN + "ctf-estimation", FN + "ctf-correction"));
    as(ESRF)
        .body(
            Map.of(
                "name", "T", "licence", "MIT", "techniques", List.of("expectation maximisation")))
        .put(base)
        .then()
        .statusCode(422);
    assertEquals(head, changeHead());
  }

  @Test
  void schemeReplacementIsAdminOnlyAndValidated() {
    String turtle = given().get("/api/v1/vocab/schemes/formats").asString();
    long head = changeHead();
    anonymous()
        .contentType("text/turtle")
        .body(turtle)
        .put("/api/v1/vocab/schemes/formats")
        .then()
        .statusCode(401);
    as(ESRF)
        .contentType("text/turtle")
        .body(turtle)
        .put("/api/v1/vocab/schemes/formats")
        .then()
        .statusCode(403);
    as(Tokens.admin())
        .contentType("text/turtle")
        .body("this is not turtle")
        .put("/api/v1/vocab/schemes/formats")
        .then()
        .statusCode(422)
        .body("type", equalTo("/problems/invalid-scheme"));
    as(Tokens.admin())
        .contentType("text/turtle")
        .body(turtle.replace("f:nexus a skos:Concept", "f:nexus-renamed a skos:Concept"))
        .put("/api/v1/vocab/schemes/formats")
        .then()
        .statusCode(422)
        .body("detail", containsString("disappear"));
    as(Tokens.admin())
        .contentType("text/turtle")
        .body(
            turtle.replace(
                "skos:prefLabel \"HDF5\"@en", "skos:prefLabel \"HDF5\"@en ; skos:broader f:nexus"))
        .put("/api/v1/vocab/schemes/formats")
        .then()
        .statusCode(422)
        .body("detail", containsString("cycle"));
    as(Tokens.admin())
        .contentType("text/turtle")
        .body(
            turtle.replace(
                "<https://w3id.org/pancat/vocab/formats> a skos:ConceptScheme",
                "<https://w3id.org/pancat/vocab/other> a skos:ConceptScheme"))
        .put("/api/v1/vocab/schemes/formats")
        .then()
        .statusCode(422);
    assertEquals(head, changeHead());
  }

  @Test
  void deprecatingAConceptMigratesTaggedSoftwareAndOldQueriesStillWork() {
    String base = "/api/v1/software/esrf/" + uniqueSlug("fitter");
    as(ESRF)
        .body(Map.of("name", "Fitter", "licence", "MIT", "functions", List.of("peak fitting")))
        .put(base)
        .then()
        .statusCode(201);
    String turtle = given().get("/api/v1/vocab/schemes/functions").asString();
    String next =
        turtle.replace(
                "fn:peak-fitting a skos:Concept ; skos:inScheme <https://w3id.org/pancat/vocab/functions> ;\n  skos:prefLabel \"peak fitting\"@en ;",
                "fn:peak-fitting a skos:Concept ; skos:inScheme <https://w3id.org/pancat/vocab/functions> ;\n  owl:deprecated true ; dct:isReplacedBy fn:peak-analysis ;\n  skos:prefLabel \"peak fitting\"@en ;")
            + "\nfn:peak-analysis a skos:Concept ; skos:inScheme <https://w3id.org/pancat/vocab/functions> ;\n  skos:prefLabel \"peak analysis\"@en .\n";
    assertTrue(next.contains("owl:deprecated true"), "fixture must match functions.ttl");
    int revision =
        given()
            .get("/api/v1/vocab/schemes")
            .then()
            .extract()
            .path("items.find { it.id == 'functions' }.revision");
    long head = changeHead();
    as(Tokens.admin())
        .contentType("text/turtle")
        .body(next)
        .put("/api/v1/vocab/schemes/functions")
        .then()
        .statusCode(200)
        .body("revision", equalTo(revision + 1))
        .body("origin", equalTo("admin"));
    given().get(base).then().body("functions", equalTo(List.of(FN + "peak-analysis")));
    JsonPath changes =
        as(Tokens.admin())
            .queryParam("after", head)
            .get("/api/v1/changes")
            .then()
            .extract()
            .jsonPath();
    assertEquals("vocab-scheme", changes.getString("items[0].entity"));
    assertTrue(
        changes.getList("items.id").contains(base.substring("/api/v1/software/".length())),
        changes.prettify());

    String id = base.substring("/api/v1/software/".length());
    for (String old : List.of("peak fitting", FN + "peak-fitting", "peak analysis")) {
      given()
          .queryParam("function", old)
          .queryParam("size", 100)
          .get("/api/v1/software")
          .then()
          .statusCode(200)
          .body("items.id", hasItem(id));
    }
    given()
        .queryParam("q", "peak fitting")
        .queryParam("scheme", "functions")
        .get("/api/v1/vocab/lookup")
        .then()
        .body("matches[0].deprecated", equalTo(true))
        .body("matches[0].replacedBy", equalTo(FN + "peak-analysis"));
    // new registrations with the old term are stored with the replacement
    as(ESRF)
        .body(Map.of("name", "Fitter 2", "licence", "MIT", "functions", List.of("peak fitting")))
        .put("/api/v1/software/esrf/" + uniqueSlug("fitter"))
        .then()
        .statusCode(201)
        .body("functions", equalTo(List.of(FN + "peak-analysis")));
  }
}
