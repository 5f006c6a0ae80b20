package org.pancat.catalogue;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo content a newcomer's first request sees: the real applications and facilities. */
@QuarkusTest
class DemoContentTest {

  @Test
  void applicationsAreRegisteredUnderTheirFacilities() {
    // every page: other test classes of the run register software of their own
    List<String> names = new ArrayList<>();
    long total;
    int page = 1;
    do {
      JsonPath listed =
          given()
              .queryParam("size", 100)
              .queryParam("page", page++)
              .get("/api/v1/software")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      names.addAll(listed.getList("items.name", String.class));
      total = listed.getLong("total");
    } while (names.size() < total);
    assertThat(total, greaterThanOrEqualTo(48L));
    assertThat(names, hasItems("pyFAI", "DIALS", "XDS", "RELION", "Mantid", "ORCA"));
    given()
        .get("/api/v1/software/esrf/pyfai")
        .then()
        .statusCode(200)
        .body("licence", equalTo("MIT"))
        .body("techniques", hasItem("http://purl.org/pan-science/PaNET/PaNET01188"))
        .body("sameAs.debian", equalTo("pyfai"))
        .body("sameAs.pypi", equalTo("pyfai"))
        .body("versions", equalTo(List.of("0.21.3+dfsg1-4")))
        .body("sharing", equalTo("open"));
    given()
        .get("/api/v1/software/pan-community/xds")
        .then()
        .statusCode(200)
        .body("licence", equalTo("LicenseRef-XDS-DECTRIS-Terms"));
  }

  @Test
  void debianReleasesHaveUndigestedDebArtifacts() {
    given()
        .get("/api/v1/software/esrf/pyfai/releases/0.21.3+dfsg1-4")
        .then()
        .statusCode(200)
        .body("artifacts[0].kind", equalTo("deb"))
        .body("artifacts[0].reference", equalTo("python3-pyfai"))
        .body("artifacts[0].digest", nullValue());
  }

  @Test
  void facilitiesComeFromTheCalipsoplusFixture() {
    given()
        .get("/api/v1/facilities/esrf")
        .then()
        .statusCode(200)
        .body("name", equalTo("European Synchrotron Radiation Facility"))
        .body("homepage", equalTo("https://www.esrf.fr"));
    given()
        .queryParam("size", 50)
        .get("/api/v1/facilities")
        .then()
        .body("total", greaterThanOrEqualTo(11));
  }

  @Test
  void slugsAreDerivedFromNames() {
    org.junit.jupiter.api.Assertions.assertEquals(
        "fox-objcryst", DemoCatalogue.slug("FOX (ObjCryst++)"));
    org.junit.jupiter.api.Assertions.assertEquals(
        "pymol-open-source", DemoCatalogue.slug("PyMOL (open source)"));
  }
}
