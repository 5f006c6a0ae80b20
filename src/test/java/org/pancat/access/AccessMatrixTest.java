package org.pancat.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.changeHead;
import static org.pancat.support.Api.sha256;
import static org.pancat.support.Api.software;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pancat.support.Signing;
import org.pancat.support.Tokens;

/**
 * Every GET endpoint of the OpenAPI document × every kind of caller × every sharing class: a
 * restricted or non-shareable reference appears in no response (body or headers) unless the caller
 * may have it, and appears where the caller may. Endpoints are read from the served OpenAPI
 * document, so a new endpoint is covered (or fails here until the matrix knows how to fill its path
 * parameters).
 */
@QuarkusTest
class AccessMatrixTest {
  private static final Signing SIGNING = new Signing();
  private static final String ADMIN = Tokens.admin();
  private static final String ESRF_PUBLISHER = Tokens.publisher("esrf");

  /** One artifact of the fixture release, and who may see its reference. */
  private record Fixture(
      String name, Map<String, Object> sharing, BiPredicate<String, Caller> may) {}

  private record Caller(String name, String token) {}

  @Test
  void noReferenceLeaksToACallerWhoMayNotHaveIt() {
    String slug = uniqueSlug("matrix");
    String licence = "LicenseRef-Matrix-" + slug;
    putLicence(licence, "1");

    Map<String, Fixture> fixtures = new LinkedHashMap<>();
    fixtures.put("open", new Fixture("open", Map.of("class", "open"), (a, c) -> true));
    fixtures.put(
        "licensed",
        new Fixture(
            "licensed",
            restricted(Map.of("licence", Map.of("id", licence))),
            (a, c) -> privileged(c) || c.name().equals("licence-accepted")));
    fixtures.put(
        "group",
        new Fixture(
            "group",
            restricted(Map.of("groups", List.of("saxs-staff"))),
            (a, c) -> privileged(c) || c.name().equals("group-member")));
    fixtures.put(
        "site",
        new Fixture(
            "site",
            restricted(Map.of("facilities", List.of("desy"))),
            (a, c) -> privileged(c) || c.name().startsWith("desy") || desyUser(c)));
    fixtures.put(
        "embargo-future",
        new Fixture(
            "embargo-future",
            restricted(Map.of("embargoUntil", LocalDate.now().plusYears(5).toString())),
            (a, c) -> privileged(c)));
    fixtures.put(
        "embargo-past",
        new Fixture(
            "embargo-past",
            restricted(Map.of("embargoUntil", "2001-01-01")),
            (a, c) -> !c.name().equals("anonymous")));
    fixtures.put(
        "non-shareable",
        new Fixture(
            "non-shareable",
            Map.of("class", "non-shareable"),
            (a, c) -> c.name().equals("admin") || c.name().startsWith("esrf")));

    String base = "/api/v1/software/esrf/" + slug;
    long feedStart = changeHead();
    as(ESRF_PUBLISHER).body(software("Matrix " + slug, "MIT")).put(base).then().statusCode(201);
    as(ESRF_PUBLISHER).body(Map.of()).put(base + "/releases/1.0").then().statusCode(201);
    String resource = "matrix-" + slug.replace('.', '-');
    as(ADMIN)
        .body(
            Map.of(
                "facility",
                "esrf",
                "architectures",
                List.of("amd64"),
                "runtimes",
                List.of("docker", "kubernetes")))
        .put("/api/v1/compute-resources/" + resource)
        .then()
        .statusCode(201);
    Map<String, String> references = new LinkedHashMap<>();
    Map<String, String> artifactIds = new LinkedHashMap<>();
    for (Fixture f : fixtures.values()) {
      String reference = "registry.esrf.fr/matrix-" + slug + "/" + f.name();
      references.put(f.name(), reference);
      String id =
          as(ESRF_PUBLISHER)
              .body(
                  Map.of(
                      "kind",
                      "oci-image",
                      "reference",
                      reference,
                      "digest",
                      sha256('a'),
                      "sharing",
                      f.sharing()))
              .post(base + "/releases/1.0/artifacts")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
      artifactIds.put(f.name(), id);
      as(ESRF_PUBLISHER)
          .body(SIGNING.keySignature(sha256('a')))
          .post(base + "/releases/1.0/artifacts/" + id + "/signatures")
          .then()
          .statusCode(201);
      // evidence that names the image: a cosign simple-signing payload and an in-toto subject
      as(ESRF_PUBLISHER)
          .body(SIGNING.simpleSigning(reference, sha256('a')))
          .post(base + "/releases/1.0/artifacts/" + id + "/signatures")
          .then()
          .statusCode(201);
      as(ESRF_PUBLISHER)
          .body(SIGNING.provenanceEnvelope(reference, sha256('a')))
          .post(base + "/releases/1.0/artifacts/" + id + "/provenance")
          .then()
          .statusCode(201);
    }

    // a harvest source whose settings name every image: only its facility's publishers see it
    StringBuilder recipe = new StringBuilder("cvmfs_repo: 'unpacked.cern.ch'\ninput:\n");
    references.values().forEach(r -> recipe.append("  - 'https://").append(r).append(":1.0'\n"));
    as(ESRF_PUBLISHER)
        .body(
            Map.of(
                "facility",
                "esrf",
                "kind",
                "cvmfs",
                "interval",
                "PT0S",
                "cvmfs",
                Map.of("recipe", recipe.toString())))
        .put("/api/v1/harvest/" + resource)
        .then()
        .statusCode(201);

    // callers; "licence-old" accepted version 1, then the licence moved to version 2
    String old = Tokens.user("old-" + slug, "psi", List.of());
    as(old).post("/api/v1/licences/" + licence + "/acceptances").then().statusCode(201);
    putLicence(licence, "2");
    String accepted = Tokens.user("accepted-" + slug, "psi", List.of());
    as(accepted).post("/api/v1/licences/" + licence + "/acceptances").then().statusCode(201);
    List<Caller> callers =
        List.of(
            new Caller("anonymous", null),
            new Caller("desy-user", Tokens.user("desy-" + slug, "desy", List.of())),
            new Caller("esrf-user", Tokens.user("esrf-" + slug, "esrf", List.of())),
            new Caller("group-member", Tokens.user("member-" + slug, "psi", List.of("saxs-staff"))),
            new Caller("licence-accepted", accepted),
            new Caller("licence-not-accepted", Tokens.user("never-" + slug, "psi", List.of())),
            new Caller("licence-old", old),
            new Caller("esrf-publisher", ESRF_PUBLISHER),
            new Caller("admin", ADMIN));

    // the feed and the snapshot, as a peer node reads them: restricted artifacts travel whole
    // (peers enforce their conditions), a non-shareable one with neither its reference nor the
    // evidence that names it
    String peer = Tokens.peer("desy");
    String feed =
        as(peer)
                .queryParam("after", feedStart)
                .queryParam("limit", 1000)
                .get("/api/v1/federation/changes")
                .asString()
            + as(peer).get("/api/v1/federation/snapshot").asString();
    assertTrue(mentions(feed, references.get("licensed")), "restricted artifacts are exported");
    assertTrue(
        !mentions(feed, references.get("non-shareable")),
        "the non-shareable reference left the node in the feed or snapshot");

    List<String> getPaths = openApiGetPaths();
    assertTrue(getPaths.size() >= 15, "endpoints found: " + getPaths);
    int checks = 0;
    Set<String> seenWhereAllowed = new TreeSet<>();
    for (String template : getPaths) {
      for (String path : concretePaths(template, slug, licence, resource, artifactIds)) {
        for (Caller caller : callers) {
          Response response = get(path, caller);
          String everything = response.getHeaders().toString() + "\n" + response.asString();
          for (Fixture f : fixtures.values()) {
            String reference = references.get(f.name());
            boolean allowed = f.may().test(f.name(), caller);
            boolean present = mentions(everything, reference);
            if (present && !allowed) {
              fail(caller.name() + " got the " + f.name() + " reference from GET " + path);
            }
            if (present) {
              seenWhereAllowed.add(f.name() + " by " + caller.name());
            }
            checks++;
          }
        }
      }
    }
    // POST /api/v1/resolve reveals pinned references: the same rules (the resource is at esrf,
    // so launching is allowed exactly where seeing is)
    for (Caller caller : callers) {
      RequestSpecification request = given().contentType("application/json");
      if (caller.token() != null) {
        request = request.header("Authorization", "Bearer " + caller.token());
      }
      Response response =
          request
              .body(Map.of("software", "esrf/" + slug, "computeResource", resource, "limit", 50))
              .post("/api/v1/resolve");
      assertEquals(200, response.statusCode(), response.asString());
      String everything = response.getHeaders().toString() + "\n" + response.asString();
      for (Fixture f : fixtures.values()) {
        assertEquals(
            f.may().test(f.name(), caller),
            mentions(everything, references.get(f.name())),
            "resolve: " + f.name() + " for " + caller.name());
      }
    }
    // ...and the references appear where they are allowed, on the artifact detail
    for (Caller caller : callers) {
      for (Fixture f : fixtures.values()) {
        boolean allowed = f.may().test(f.name(), caller);
        String body =
            get(base + "/releases/1.0/artifacts/" + artifactIds.get(f.name()), caller).asString();
        assertEquals(
            allowed,
            mentions(body, references.get(f.name())),
            f.name() + " for " + caller.name() + ": " + body);
      }
    }
    assertTrue(seenWhereAllowed.contains("licensed by licence-accepted"));
    assertTrue(checks > 1000, "checks: " + checks);
  }

  /**
   * Whether {@code text} holds the reference as is, or base64 or base64url encoded at any byte
   * alignment (a cosign payload, a DSSE envelope, a JWS feed page carry it encoded).
   */
  static boolean mentions(String text, String reference) {
    if (text.contains(reference)) {
      return true;
    }
    byte[] bytes = reference.getBytes(StandardCharsets.UTF_8);
    for (int offset = 0; offset < 3; offset++) {
      byte[] shifted = new byte[offset + bytes.length];
      System.arraycopy(bytes, 0, shifted, offset, bytes.length);
      String encoded = Base64.getEncoder().encodeToString(shifted);
      // only the 4-character groups made of the reference's bytes alone
      int from = (offset + 2) / 3 * 4;
      int to = (offset + bytes.length) / 3 * 4;
      String core = encoded.substring(from, to);
      if (text.contains(core) || text.contains(core.replace('+', '-').replace('/', '_'))) {
        return true;
      }
    }
    return false;
  }

  private static boolean privileged(Caller c) {
    return c.name().equals("admin") || c.name().equals("esrf-publisher");
  }

  private static boolean desyUser(Caller c) {
    return c.name().equals("desy-user");
  }

  private static Map<String, Object> restricted(Map<String, Object> conditions) {
    return Map.of("class", "restricted", "conditions", conditions);
  }

  private static void putLicence(String id, String version) {
    as(ADMIN)
        .body(Map.of("title", "Matrix licence", "version", version, "text", "Terms " + version))
        .put("/api/v1/licences/" + id)
        .then()
        .statusCode(anyOf(is(200), is(201)));
  }

  private static Response get(String path, Caller caller) {
    RequestSpecification request = given().urlEncodingEnabled(false);
    if (caller.token() != null) {
      request = request.header("Authorization", "Bearer " + caller.token());
    }
    return request.get(path);
  }

  private static List<String> openApiGetPaths() {
    Map<String, Map<String, Object>> paths =
        given()
            .accept("application/json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getMap("paths");
    List<String> result = new ArrayList<>();
    paths.forEach(
        (path, operations) -> {
          if (operations.containsKey("get")) {
            result.add(path);
          }
        });
    return result;
  }

  private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

  /** Fills the path parameters; a parameter it does not know fails, so new ones get covered. */
  private static List<String> concretePaths(
      String template,
      String slug,
      String licence,
      String resource,
      Map<String, String> artifactIds) {
    List<String> paths = new ArrayList<>();
    List<String> artifacts =
        template.contains("{artifact}") ? new ArrayList<>(artifactIds.values()) : List.of("");
    for (String artifact : artifacts) {
      Matcher m = PARAM.matcher(template);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value =
            switch (m.group(1)) {
              case "facility" -> "esrf";
              case "slug" -> template.startsWith("/problems") ? "forbidden" : slug;
              case "version" -> "1.0";
              case "artifact" -> artifact;
              case "iri" ->
                  URLEncoder.encode(
                      "http://purl.org/pan-science/PaNET/PaNET01188", StandardCharsets.UTF_8);
              case "id" ->
                  template.startsWith("/api/v1/licences")
                      ? licence
                      : template.startsWith("/api/v1/vocab/schemes")
                          ? "techniques"
                          : template.startsWith("/api/v1/compute-resources") ? resource : null;
              // the CVMFS harvest source named like the resource, whose recipe names every image
              case "source" -> resource;
              case "run" -> "1";
              default -> null;
            };
        if (value == null) {
          fail("the access matrix does not know how to fill {" + m.group(1) + "} in " + template);
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      paths.add(out.toString());
    }
    if (template.equals("/api/v1/software")) {
      paths.add("/api/v1/software?q=matrix&size=100");
      paths.add("/api/v1/software?facility=esrf&size=100&withdrawn=true");
    }
    if (template.equals("/api/v1/changes")) {
      paths.add("/api/v1/changes?after=0&limit=1000");
    }
    return paths;
  }
}
