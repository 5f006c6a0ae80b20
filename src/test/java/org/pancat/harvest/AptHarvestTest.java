package org.pancat.harvest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.anonymous;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.changeHead;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pancat.support.AptRepositoryFixture;
import org.pancat.support.AptRepositoryFixture.PackageSpec;
import org.pancat.support.Tokens;

/**
 * The APT harvester against signed repositories built by reprepro and gnupg in the test: the 250
 * Debian PaN packages harvested into the demo applications and found by technique, an unchanged
 * repository costing one request, and a tampered, unsigned, expired or mismatching repository
 * refused with nothing applied.
 */
@QuarkusTest
class AptHarvestTest {
  private static final String ADMIN = Tokens.admin();
  private static final String FACILITY = "alab";
  private static final String PUBLISHER = Tokens.publisher(FACILITY);

  private static AptRepositoryFixture debian;

  @BeforeEach
  void repository() {
    if (debian == null) {
      debian = AptRepositoryFixture.build("bookworm", AptRepositoryFixture.debianPanPackages());
      as(ADMIN).body(Map.of("name", "APT lab")).put("/api/v1/facilities/" + FACILITY);
    }
  }

  @AfterAll
  static void stop() {
    if (debian != null) {
      debian.close();
    }
  }

  private static Map<String, Object> apt(
      AptRepositoryFixture repository, boolean registerUnmatched) {
    return Map.of(
        "url", repository.baseUrl().toString(),
        "suite", repository.suite(),
        "components", List.of("main"),
        "architectures", AptRepositoryFixture.ARCHITECTURES,
        "archiveKey", repository.armoredKey(),
        "registerUnmatched", registerUnmatched);
  }

  private static void source(String token, String id, String facility, Map<String, Object> apt) {
    as(token)
        .body(Map.of("facility", facility, "kind", "apt", "interval", "PT0S", "apt", apt))
        .put("/api/v1/harvest/" + id)
        .then()
        .statusCode(201);
  }

  @Test
  void debianPanPackagesBecomeArtifactsOfTheDemoApplications() {
    // the demo applications that name a Debian package, by facility
    Map<String, List<Map<String, Object>>> linked = new HashMap<>();
    List<String> all = new ArrayList<>();
    for (int page = 1; ; page++) {
      JsonPath hits =
          anonymous()
              .queryParam("size", 100)
              .queryParam("page", page)
              .get("/api/v1/software")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      all.addAll(hits.getList("items.id"));
      if ((long) page * 100 >= hits.getLong("total")) {
        break;
      }
    }
    for (String hit : all) {
      JsonPath software = anonymous().get("/api/v1/software/" + hit).then().extract().jsonPath();
      if (software.getString("sameAs.debian") != null && software.getString("origin") == null) {
        linked
            .computeIfAbsent(software.getString("facility"), f -> new ArrayList<>())
            .add(software.getMap(""));
      }
    }
    assertTrue(linked.size() >= 2, "demo applications with Debian packages: " + linked.keySet());
    Set<String> packages = new TreeSet<>();
    for (PackageSpec p : AptRepositoryFixture.debianPanPackages()) {
      packages.add(p.name());
    }
    int harvested = 0;
    for (Map.Entry<String, List<Map<String, Object>>> facility : linked.entrySet()) {
      String id = "apt-demo-" + facility.getKey();
      source(ADMIN, id, facility.getKey(), apt(debian, false));
      JsonPath run = HarvestRunner.runAndWait(ADMIN, id);
      assertEquals("succeeded", run.getString("state"), run.prettify());
      assertEquals(0, run.getInt("counts.refused"), run.prettify());
      assertTrue(run.getInt("progress.total") >= 250, run.prettify());
      harvested += run.getInt("counts.added");

      for (Map<String, Object> app : facility.getValue()) {
        String debianName = (String) ((Map<?, ?>) app.get("sameAs")).get("debian");
        if (!packages.contains(debianName)) {
          continue;
        }
        String base = "/api/v1/software/" + app.get("id");
        List<String> versions = anonymous().get(base).then().extract().path("versions");
        List<Map<String, Object>> debs = new ArrayList<>();
        for (String version : versions) {
          debs.addAll(
              anonymous()
                  .get(base + "/releases/" + version)
                  .then()
                  .extract()
                  .jsonPath()
                  .<Map<String, Object>>getList(
                      "artifacts.findAll { it.kind == 'deb' && it.digest != null }"));
        }
        assertFalse(debs.isEmpty(), app.get("id") + " has its harvested package");
        Map<String, Object> deb = debs.get(0);
        assertTrue(((String) deb.get("digest")).matches("sha256:[0-9a-f]{64}"));
        assertTrue(
            ((String) deb.get("reference")).startsWith(debian.baseUrl() + "pool/main/"),
            deb.toString());
        // found by a technique the demo application tags
        @SuppressWarnings("unchecked")
        List<String> techniques = (List<String>) app.get("techniques");
        if (!techniques.isEmpty()) {
          List<String> found =
              anonymous()
                  .queryParam("technique", techniques.get(0))
                  .queryParam("kind", "deb")
                  .queryParam("size", 100)
                  .get("/api/v1/software")
                  .then()
                  .statusCode(200)
                  .extract()
                  .path("items.id");
          assertTrue(
              found.contains(app.get("id")), app.get("id") + " found by " + techniques.get(0));
        }
      }

      // the same repository again: one request, nothing appended
      long head = changeHead();
      JsonPath again = HarvestRunner.runAndWait(ADMIN, id);
      assertEquals(1, again.getInt("counts.requests"), again.prettify());
      assertEquals(0, again.getInt("counts.added"));
      assertEquals(run.getInt("counts.added"), again.getInt("counts.unchanged"));
      assertEquals(head, changeHead());
    }
    assertTrue(harvested > 0, "packages harvested: " + harvested);
  }

  private static List<PackageSpec> lab(String... names) {
    List<PackageSpec> specs = new ArrayList<>();
    for (String name : names) {
      specs.add(
          new PackageSpec(
              name,
              "1.2-1",
              name,
              "https://example.org/" + name,
              "science",
              "amd64",
              "A tool of the lab"));
    }
    return specs;
  }

  @Test
  void unmatchedPackagesRegisterSoftwareWhenTheSourceSaysSo() throws Exception {
    String name = "alab-tool-" + Long.toString(System.nanoTime(), 36);
    try (AptRepositoryFixture repo = AptRepositoryFixture.build("stable", lab(name))) {
      source(PUBLISHER, "apt-" + name, FACILITY, apt(repo, true));
      JsonPath run = HarvestRunner.runAndWait(PUBLISHER, "apt-" + name);
      assertEquals(1, run.getInt("counts.added"), run.prettify());
      anonymous()
          .get("/api/v1/software/" + FACILITY + "/" + name)
          .then()
          .statusCode(200)
          .body("sameAs.debian", equalTo(name))
          .body("homepage", equalTo("https://example.org/" + name))
          .body("licence", equalTo("NOASSERTION"));
      // a new package appears, another vanishes: exactly those change
      repo.addPackages(lab(name + "-extra"));
      JsonPath second = HarvestRunner.runAndWait(PUBLISHER, "apt-" + name);
      assertEquals(1, second.getInt("counts.added"), second.prettify());
      assertEquals(1, second.getInt("counts.unchanged"), second.prettify());
      JsonPath third = HarvestRunner.runAndWait(PUBLISHER, "apt-" + name);
      assertEquals(
          1,
          third.getInt("counts.requests"),
          "unchanged, with the software it registered: " + third.prettify());
      assertEquals(2, third.getInt("counts.unchanged"));
      // an older InRelease, properly signed (a replay, or a mirror rolled back): refused
      Path release = repo.dists().resolve("Release");
      String older =
          Files.readString(release)
              .replaceFirst(
                  "(?m)^Date: .*$",
                  "Date: "
                      + DateTimeFormatter.RFC_1123_DATE_TIME
                          .withZone(ZoneOffset.UTC)
                          .format(Instant.now().minusSeconds(30 * 86_400)));
      Files.writeString(repo.dists().resolve("InRelease"), repo.clearsign(older));
      long head = changeHead();
      JsonPath replay = HarvestRunner.runAndWait(PUBLISHER, "apt-" + name);
      assertEquals("refused", replay.getString("state"), replay.prettify());
      assertTrue(replay.getString("reason").contains("older"), replay.prettify());
      assertEquals(head, changeHead());
    }
  }

  /** A repository changed after signing, or not signed, or out of date: nothing applied. */
  @Test
  void tamperedRepositoriesAreRefusedWithNothingApplied() throws Exception {
    List<String> reasons = new ArrayList<>();
    for (String tamper : List.of("signed text", "unsigned", "packages", "expired", "other key")) {
      String name = "alab-" + tamper.replace(' ', '-') + "-" + Long.toString(System.nanoTime(), 36);
      try (AptRepositoryFixture repo = AptRepositoryFixture.build("stable", lab(name))) {
        Map<String, Object> settings = new HashMap<>(apt(repo, true));
        switch (tamper) {
          case "signed text" -> repo.tamperInRelease();
          case "unsigned" -> repo.replaceInReleaseUnsigned();
          case "packages" -> repo.corruptPackagesIndex("main", "amd64");
          case "expired" -> expire(repo);
          default -> settings.put("archiveKey", AptRepositoryFixture.freshArmoredKey());
        }
        String id = "apt-" + name;
        source(PUBLISHER, id, FACILITY, settings);
        long head = changeHead();
        JsonPath run = HarvestRunner.runAndWait(PUBLISHER, id);
        assertEquals("refused", run.getString("state"), tamper + ": " + run.prettify());
        assertEquals(0, run.getInt("counts.added"));
        reasons.add(run.getString("reason"));
        assertEquals(head, changeHead(), tamper + ": nothing is applied");
        anonymous().get("/api/v1/software/" + FACILITY + "/" + name).then().statusCode(404);
        String status =
            as(PUBLISHER)
                .get("/api/v1/harvest/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("lastRun.state");
        assertEquals("refused", status);
      }
    }
    String all = String.join("\n", reasons);
    assertTrue(reasons.get(0).toLowerCase(Locale.ROOT).contains("signature"), all);
    assertTrue(reasons.get(1).toLowerCase(Locale.ROOT).contains("sign"), all);
    assertTrue(reasons.get(2).contains("Packages"), all);
    assertTrue(reasons.get(3).contains("expired"), all);
    assertTrue(reasons.get(4).toLowerCase(Locale.ROOT).contains("key"), all);
  }

  /** Re-signs the InRelease with a Valid-Until in the past, as a replayed old release has. */
  private static void expire(AptRepositoryFixture repo) throws Exception {
    Path release = repo.dists().resolve("Release");
    String text = Files.readString(release);
    String past =
        DateTimeFormatter.RFC_1123_DATE_TIME
            .withZone(ZoneOffset.UTC)
            .format(Instant.now().minusSeconds(86_400));
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME
            .withZone(ZoneOffset.UTC)
            .format(Instant.now().minusSeconds(2 * 86_400));
    text = text.replaceFirst("(?m)^Date: .*$", "Date: " + date + "\nValid-Until: " + past);
    Files.writeString(repo.dists().resolve("InRelease"), repo.clearsign(text));
  }

  @Test
  void harvestEndpointsAreTheFacilitysOwn() {
    String name = "alab-own-" + Long.toString(System.nanoTime(), 36);
    try (AptRepositoryFixture repo = AptRepositoryFixture.build("stable", lab(name))) {
      String id = "apt-" + name;
      source(PUBLISHER, id, FACILITY, apt(repo, true));
      String other = Tokens.publisher("esrf");
      String researcher = Tokens.user("erin", FACILITY, List.of());
      for (String token : List.of(other, researcher)) {
        as(token).post("/api/v1/harvest/" + id + "/run").then().statusCode(404);
        as(token).get("/api/v1/harvest/" + id + "/runs").then().statusCode(404);
        as(token).get("/api/v1/harvest/" + id + "/runs/1").then().statusCode(404);
        as(token).delete("/api/v1/harvest/" + id).then().statusCode(404);
      }
      anonymous().post("/api/v1/harvest/" + id + "/run").then().statusCode(401);
      anonymous().get("/api/v1/harvest/" + id + "/runs/1").then().statusCode(401);
      anonymous().delete("/api/v1/harvest/" + id).then().statusCode(401);
      JsonPath run = HarvestRunner.runAndWait(PUBLISHER, id);
      assertEquals(1, run.getInt("counts.added"), run.prettify());
      as(other).get("/api/v1/harvest/" + id + "/runs/" + run.getLong("id")).then().statusCode(404);
      as(ADMIN).get("/api/v1/harvest/" + id + "/runs/" + run.getLong("id")).then().statusCode(200);
    }
  }
}
