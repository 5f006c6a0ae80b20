package org.pancat.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.anonymous;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.sha256;
import static org.pancat.support.Api.software;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pancat.support.Api;
import org.pancat.support.Tokens;

/** The licence flow over HTTP: denied with how, accept, granted, version bump, denied again. */
@QuarkusTest
class LicenceFlowTest {
  private static final String ESRF = Tokens.publisher("esrf");
  private static final String ADMIN = Tokens.admin();

  @Test
  void licenceAcceptanceGatesTheReference() {
    String slug = uniqueSlug("licensed");
    String licence = "LicenseRef-Flow-" + slug;
    String reference = "registry.esrf.fr/licensed/" + slug + ":1";
    Map<String, Object> v1 =
        Map.of("title", "Flow EULA", "version", "1", "text", "Academic use only.");
    as(ESRF).body(v1).put("/api/v1/licences/" + licence).then().statusCode(403);
    anonymous().body(v1).put("/api/v1/licences/" + licence).then().statusCode(401);
    as(ADMIN)
        .body(v1)
        .put("/api/v1/licences/" + licence)
        .then()
        .statusCode(201)
        .body("version", equalTo("1"));
    as(ADMIN).body(v1).put("/api/v1/licences/" + licence).then().statusCode(200);
    as(ADMIN)
        .body(Map.of("title", "Flow EULA", "version", "1", "text", "Changed terms."))
        .put("/api/v1/licences/" + licence)
        .then()
        .statusCode(409);
    as(ADMIN).body(v1).put("/api/v1/licences/not a licence").then().statusCode(400);

    String base = "/api/v1/software/esrf/" + slug;
    as(ESRF).body(software("Licensed tool", licence)).put(base).then().statusCode(201);
    as(ESRF).body(Map.of()).put(base + "/releases/1").then().statusCode(201);
    String id =
        as(ESRF)
            .body(
                Map.of(
                    "kind", "oci-image",
                    "reference", reference.substring(0, reference.indexOf(':')),
                    "digest", sha256('1'),
                    "sharing",
                        Map.of(
                            "class",
                            "restricted",
                            "conditions",
                            Map.of("licence", Map.of("id", licence)))))
            .post(base + "/releases/1/artifacts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String artifact = base + "/releases/1/artifacts/" + id;
    String bob = Tokens.user("bob-" + slug, "desy", List.of());
    String ref = reference.substring(0, reference.indexOf(':'));

    String denied =
        as(bob)
            .get(artifact)
            .then()
            .statusCode(200)
            .body("access.granted", equalTo(false))
            .body(
                "access.reasons[0]",
                containsString("acceptance of licence " + licence + " version 1"))
            .body(
                "access.how.acceptLicence", equalTo("/api/v1/licences/" + licence + "/acceptances"))
            .body("reference", nullValue())
            .extract()
            .asString();
    assertFalse(denied.contains(ref));

    anonymous().post("/api/v1/licences/" + licence + "/acceptances").then().statusCode(401);
    as(bob).post("/api/v1/licences/LicenseRef-No-Such/acceptances").then().statusCode(404);
    as(bob)
        .body(Map.of("version", "0"))
        .post("/api/v1/licences/" + licence + "/acceptances")
        .then()
        .statusCode(409);
    as(bob)
        .body(Map.of("version", "1"))
        .post("/api/v1/licences/" + licence + "/acceptances")
        .then()
        .statusCode(201);
    as(bob).post("/api/v1/licences/" + licence + "/acceptances").then().statusCode(200);

    as(bob)
        .get(artifact)
        .then()
        .body("access.granted", equalTo(true))
        .body("reference", equalTo(ref));
    as(bob)
        .get("/api/v1/me")
        .then()
        .body("acceptances.find { it.licence == '" + licence + "' }.current", equalTo(true));

    as(ADMIN)
        .body(
            Map.of(
                "title",
                "Flow EULA",
                "version",
                "2",
                "text",
                "Academic use only; no redistribution."))
        .put("/api/v1/licences/" + licence)
        .then()
        .statusCode(200)
        .body("version", equalTo("2"));
    assertFalse(as(bob).get(artifact).asString().contains(ref));
    as(bob).get(artifact).then().body("access.reasons[0]", containsString("version 2"));
    as(bob)
        .get("/api/v1/me")
        .then()
        .body("acceptances.find { it.licence == '" + licence + "' }.current", equalTo(false));

    as(bob)
        .post("/api/v1/licences/" + licence + "/acceptances")
        .then()
        .statusCode(201)
        .body("version", equalTo("2"));
    as(bob).get(artifact).then().body("reference", equalTo(ref));

    List<Map<String, Object>> audit = Api.recentAudit();
    assertTrue(
        audit.stream()
            .anyMatch(
                e ->
                    e.get("action").equals("licence-acceptance")
                        && e.get("target").equals(licence)
                        && e.get("detail").equals("accepted version 2")));
    assertTrue(
        audit.stream()
            .anyMatch(
                e ->
                    e.get("action").equals("reveal")
                        && e.get("target").equals(id)
                        && ((String) e.get("actor")).endsWith("#bob-" + slug)));
    assertFalse(audit.toString().contains(ref), "the audit names artifacts by id, not reference");
    anonymous().get("/api/v1/audit").then().statusCode(401);
    as(ESRF).get("/api/v1/audit").then().statusCode(403);
  }

  @Test
  void demoMarksRestrictedApplicationsWithTheirLicences() {
    given()
        .get("/api/v1/software/pan-community/xds")
        .then()
        .statusCode(200)
        .body("sharing", equalTo("restricted"))
        .body("versions", hasItem("current"));
    given()
        .get("/api/v1/software/pan-community/xds/releases/current")
        .then()
        .body("artifacts[0].sharing.class", equalTo("restricted"))
        .body("artifacts[0].sharing.conditions.licence.id", equalTo("LicenseRef-XDS-DECTRIS-Terms"))
        .body("artifacts[0].access.granted", equalTo(false))
        .body("artifacts[0].reference", nullValue());
    given()
        .get("/api/v1/licences/LicenseRef-XDS-DECTRIS-Terms")
        .then()
        .statusCode(200)
        .body("text", containsString("academic"));
    given()
        .queryParam("size", 100)
        .get("/api/v1/licences")
        .then()
        .body("items.id", hasItem("LicenseRef-orca-terms"));
    given()
        .queryParam("sharing", "restricted")
        .queryParam("size", 100)
        .get("/api/v1/software")
        .then()
        .body("items.id", hasItem("pan-community/cryosparc"));
  }
}
