package org.pancat.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.changeHead;
import static org.pancat.support.Api.sha256;
import static org.pancat.support.Api.software;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pancat.support.Api;
import org.pancat.support.Tokens;

/** Every kind of bad input gets a 4xx problem+json, reveals no internals and changes nothing. */
@QuarkusTest
class BadInputTest {
  private static final String ESRF = Tokens.publisher("esrf");
  private static final Pattern INTERNALS =
      Pattern.compile(
          "org\\.pancat|java\\.|jakarta\\.|Exception|\\bat [a-z]+\\.|SQL|select |insert |hibernate|jackson",
          Pattern.CASE_INSENSITIVE);

  @ConfigProperty(name = "quarkus.http.test-port")
  int port;

  private String base;
  private long head;

  @BeforeEach
  void softwareWithRelease() {
    String slug = uniqueSlug("bad");
    base = "/api/v1/software/esrf/" + slug;
    as(ESRF).body(software("Bad input target", "MIT")).put(base).then().statusCode(201);
    as(ESRF).body(Map.of()).put(base + "/releases/1.0").then().statusCode(201);
    head = changeHead();
  }

  @Test
  void aWithdrawalWithoutAReasonInTheQueryChangesNothing() {
    // the reason travels as ?reason=: a body in the style of a DELETE with JSON is not read
    assertProblem(
        as(ESRF).body(Map.of("reason", "in the body")).delete(base + "/releases/1.0"),
        400,
        "/problems/validation-failed");
    assertProblem(
        as(ESRF).queryParam("reason", " ").delete(base), 400, "/problems/validation-failed");
    assertProblem(
        as(ESRF).queryParam("reason", "x".repeat(1001)).delete(base),
        400,
        "/problems/validation-failed");
    given().get(base).then().statusCode(200).body("withdrawn", nullValue());
  }

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        Arguments.of(
            "malformed", "{\"name\": \"x\" \"licence\": \"MIT\"}", "/problems/malformed-request"),
        Arguments.of(
            "truncated", "{\"name\": \"x\", \"licence\": \"MI", "/problems/malformed-request"),
        Arguments.of("not an object", "[1, 2, 3]", "/problems/malformed-request"),
        Arguments.of(
            "number for string",
            "{\"name\": 5, \"licence\": \"MIT\"}",
            "/problems/malformed-request"),
        Arguments.of(
            "string for list",
            "{\"name\": \"x\", \"licence\": \"MIT\", \"keywords\": \"a\"}",
            "/problems/malformed-request"),
        Arguments.of(
            "object for string",
            "{\"name\": {\"a\": 1}, \"licence\": \"MIT\"}",
            "/problems/malformed-request"),
        Arguments.of(
            "unknown field",
            "{\"name\": \"x\", \"licence\": \"MIT\", \"trust\": \"trusted\"}",
            "/problems/malformed-request"),
        Arguments.of(
            "duplicate key",
            "{\"name\": \"x\", \"name\": \"y\", \"licence\": \"MIT\"}",
            "/problems/malformed-request"),
        Arguments.of(
            "trailing content",
            "{\"name\": \"x\", \"licence\": \"MIT\"} {}",
            "/problems/malformed-request"),
        Arguments.of("empty body", "", "/problems/validation-failed"),
        Arguments.of("null body", "null", "/problems/validation-failed"),
        Arguments.of("missing name", "{\"licence\": \"MIT\"}", "/problems/validation-failed"),
        Arguments.of(
            "invalid SPDX",
            "{\"name\": \"x\", \"licence\": \"MIT AND\"}",
            "/problems/validation-failed"),
        Arguments.of(
            "unknown licence id",
            "{\"name\": \"x\", \"licence\": \"GPL-4.0\"}",
            "/problems/validation-failed"),
        Arguments.of(
            "bad homepage",
            "{\"name\": \"x\", \"licence\": \"MIT\", \"homepage\": \"javascript:alert(1)\"}",
            "/problems/validation-failed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  void softwareBodyIsRefused(String name, String body, String type) {
    Response response = as(ESRF).body(body).put(base);
    assertProblem(response, 400, type);
    given().get(base).then().body("name", equalTo("Bad input target"));
  }

  static Stream<Arguments> badArtifacts() {
    Map<String, Object> ok = Api.image("registry.esrf.fr/a/b", sha256('a'));
    return Stream.of(
        Arguments.of("digest too short", with(ok, "digest", "sha256:abc"), "digest"),
        Arguments.of("digest not hex", with(ok, "digest", "sha256:" + "g".repeat(64)), "digest"),
        Arguments.of("digest upper case", with(ok, "digest", "sha256:" + "A".repeat(64)), "digest"),
        Arguments.of("digest too long", with(ok, "digest", "sha256:" + "a".repeat(65)), "digest"),
        Arguments.of("digest without algorithm", with(ok, "digest", "a".repeat(64)), "digest"),
        Arguments.of(
            "digest unknown algorithm", with(ok, "digest", "md5:" + "a".repeat(32)), "digest"),
        Arguments.of("unknown kind", with(ok, "kind", "tarball"), "kind"),
        Arguments.of(
            "reference with digest",
            with(ok, "reference", "registry.esrf.fr/a/b@" + sha256('a')),
            "reference"),
        Arguments.of(
            "reference with space", with(ok, "reference", "registry.esrf.fr/a b"), "reference"),
        Arguments.of(
            "cvmfs outside /cvmfs",
            Map.of("kind", "cvmfs", "reference", "/etc/passwd"),
            "reference"),
        Arguments.of(
            "cvmfs dot segments",
            Map.of("kind", "cvmfs", "reference", "/cvmfs/unpacked.cern.ch/../x"),
            "reference"),
        Arguments.of(
            "unknown runtime", with(ok, "runtimes", List.of("docker", "rocket")), "runtimes"),
        Arguments.of(
            "unknown sharing class",
            with(ok, "sharing", Map.of("class", "secret")),
            "sharing.class"),
        Arguments.of(
            "conditions on open",
            with(
                ok,
                "sharing",
                Map.of("class", "open", "conditions", Map.of("groups", List.of("staff")))),
            "sharing.conditions"),
        Arguments.of(
            "bad platform",
            with(ok, "platforms", List.of(Map.of("os", "linux", "arch", "x86 64"))),
            "platforms[0].arch"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArtifacts")
  void artifactIsRefused(String name, Map<String, Object> artifact, String field) {
    Response response = as(ESRF).body(artifact).post(base + "/releases/1.0/artifacts");
    assertProblem(response, 400, "/problems/validation-failed");
    assertTrue(response.jsonPath().getList("errors.field").contains(field), response.asString());
    given().get(base + "/releases/1.0").then().body("artifacts.size()", equalTo(0));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "..%2F..%2Fetc",
        "..",
        "a%2Fb",
        "ESRF-Tool",
        "t\u043e\u043el", // Cyrillic o: looks like "tool"
        "tool%00",
        "%2e%2e"
      })
  void slugTricksAreRefused(String slug) {
    Response response =
        as(ESRF)
            .urlEncodingEnabled(false)
            .body(software("x", "MIT"))
            .put("/api/v1/software/esrf/" + slug);
    assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, response.asString());
    assertProblem(response, response.statusCode(), null);
  }

  @Test
  void facilityLookAlikeIsRefused() {
    Response response =
        as(Tokens.admin()).body(software("x", "MIT")).put("/api/v1/software/\uff45srf/tool");
    assertProblem(response, 400, "/problems/invalid-identifier");
  }

  @Test
  void versionTricksAreRefused() {
    for (String version : List.of("1.0%2F..", "..", "1..0", "v1.0\u2024")) {
      Response response =
          as(ESRF).urlEncodingEnabled(false).body(Map.of()).put(base + "/releases/" + version);
      assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, version);
      assertProblem(response, response.statusCode(), null);
    }
  }

  @Test
  void tenMegabyteBodyIsRefusedBeforeReading() {
    String huge = "{\"name\": \"" + "a".repeat(10 * 1024 * 1024) + "\", \"licence\": \"MIT\"}";
    assertProblem(as(ESRF).body(huge).put(base), 413, "/problems/payload-too-large");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_1_1", "HTTP_2"})
  void bodyWithoutLengthIsRefused(HttpClient.Version version) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + base))
            .header("Authorization", "Bearer " + ESRF)
            .header("Content-Type", "application/json")
            .PUT(
                HttpRequest.BodyPublishers.ofInputStream(
                    () ->
                        new ByteArrayInputStream(
                            "{\"name\":\"x\",\"licence\":\"MIT\"}".getBytes())))
            .build();
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(version)
            .build()
            .send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(411, response.statusCode());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals(head, changeHead());
  }

  @Test
  void frameworkErrorsAreProblems() {
    assertProblem(given().get("/api/v1/no-such-thing"), 404, "/problems/not-found");
    assertProblem(given().delete("/api/v1/me"), 405, "/problems/method-not-allowed");
    assertProblem(
        as(ESRF).contentType(ContentType.TEXT).body("name=x").put(base),
        415,
        "/problems/unsupported-media-type");
    assertProblem(given().get(base + "/releases/9.9"), 404, "/problems/not-found");
    assertProblem(
        given().get(base + "/releases/1.0/artifacts/" + "0".repeat(24)),
        404,
        "/problems/not-found");
    assertProblem(
        given().get(base + "/releases/1.0/artifacts/not-an-id"),
        400,
        "/problems/invalid-identifier");
  }

  @Test
  void problemTypesArePages() {
    given()
        .get("/problems/payload-too-large")
        .then()
        .statusCode(200)
        .contentType(ContentType.HTML)
        .body(containsString("Request body too large"));
    assertProblem(given().get("/problems/no-such-type"), 404, "/problems/not-found");
  }

  static Stream<Arguments> badQueryValues() {
    return Stream.of(
        Arguments.of("/api/v1/changes?after=abc", "after"),
        Arguments.of("/api/v1/changes?limit=ten", "limit"),
        Arguments.of("/api/v1/changes?after=-1", "after"),
        Arguments.of("/api/v1/federation/changes?after=1e3", "after"),
        Arguments.of("/api/v1/federation/changes?limit=x", "limit"),
        Arguments.of("/api/v1/vocab/lookup?q=SAXS&limit=many", "limit"),
        Arguments.of("/api/v1/audit?page=first", "page"),
        Arguments.of("/api/v1/licences?size=0", "size"),
        Arguments.of("/api/v1/software?withdrawn=maybe", "withdrawn"),
        Arguments.of("/api/v1/software?withdrawn=TRUE", "withdrawn"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badQueryValues")
  void queryValuesThatAreNotNumbersOrBooleansAre400(String path, String parameter) {
    Response response = as(Tokens.admin()).urlEncodingEnabled(false).get(path);
    assertProblem(response, 400, "/problems/validation-failed");
    assertEquals(parameter, response.jsonPath().getString("errors[0].field"));
  }

  @Test
  void aBodyWithoutContentTypeIs415() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + base))
                    .header("Authorization", "Bearer " + ESRF)
                    .PUT(
                        HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"licence\":\"MIT\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(415, response.statusCode(), response.body());
    assertTrue(
        response
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json"));
    assertTrue(response.body().contains("/problems/unsupported-media-type"));
    assertEquals(head, changeHead());
  }

  @Test
  void loneSurrogatesAreNotText() {
    for (String body :
        List.of(
            "{\"name\": \"x\\uD800\", \"licence\": \"MIT\"}",
            "{\"name\": \"x\\uDC00y\", \"licence\": \"MIT\"}",
            "{\"name\": \"x\", \"licence\": \"MIT\", \"keywords\": [\"\\uD83D\"]}")) {
      assertProblem(as(ESRF).body(body).put(base), 400, "/problems/malformed-request");
    }
    // a pair is text: the emoji is stored and read back whole
    as(ESRF)
        .body("{\"name\": \"x \\uD83D\\uDE00\", \"licence\": \"MIT\"}")
        .put(base)
        .then()
        .statusCode(200)
        .body("name", equalTo("x \uD83D\uDE00"));
    head = changeHead();
    Map<String, Object> labelled = Api.image("registry.esrf.fr/pan/s:1", sha256('1'));
    String withLabel =
        "{\"kind\":\"oci-image\",\"reference\":\"registry.esrf.fr/pan/s:1\",\"labels\":{\"k\\uDBFF\":\"v\"}}";
    assertProblem(
        as(ESRF).body(withLabel).post(base + "/releases/1.0/artifacts"),
        400,
        "/problems/malformed-request");
    assertFalse(labelled.isEmpty());
  }

  @Test
  void impossibleNumbersInResourcesAndCapabilitiesAreRefused() {
    for (int count : new int[] {0, -1, 100000}) {
      Map<String, Object> resource =
          Map.of(
              "facility", "esrf",
              "architectures", List.of("amd64"),
              "runtimes", List.of("docker"),
              "gpus", List.of(Map.of("vendor", "nvidia", "count", count)));
      assertProblem(
          as(Tokens.admin()).body(resource).put("/api/v1/compute-resources/bad-" + (count + 5)),
          400,
          "/problems/validation-failed");
      assertProblem(
          as(ESRF)
              .body(Map.of("software", "esrf/x", "capabilities", resource))
              .post("/api/v1/resolve"),
          400,
          "/problems/validation-failed");
    }
  }

  @Test
  void resolveRefusesAnInvalidLicenceConstraint() {
    Response response =
        as(ESRF)
            .body(
                Map.of(
                    "software",
                    "esrf/x",
                    "capabilities",
                    Map.of(
                        "facility",
                        "esrf",
                        "architectures",
                        List.of("amd64"),
                        "runtimes",
                        List.of("docker")),
                    "constraints",
                    Map.of("licences", List.of("MIT", "Not A Licence!"))))
            .post("/api/v1/resolve");
    assertProblem(response, 400, "/problems/validation-failed");
    assertEquals("constraints.licences[1]", response.jsonPath().getString("errors[0].field"));
  }

  /**
   * Requests the HTTP server (Vert.x) refuses while decoding them, before any route or filter of
   * the application runs: it answers with a bare status and no body, which the application cannot
   * change (README, Bad input). What is checked here is that they are refused and change nothing.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "400 PUT {base} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 12abc\r\n\r\n{}",
        "400 PUT {base} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n{}",
        "400 GET /api/v1/software/%zz HTTP/1.1\r\n\r\n",
        "400 GET /api/v1/software?q=%zz HTTP/1.1\r\n\r\n",
        "414 GET /api/v1/software?q={long} HTTP/1.1\r\n\r\n",
        "431 GET /api/v1/software HTTP/1.1\r\nX-Big: {long}\r\n\r\n"
      })
  void requestsTheHttpServerRefusesChangeNothing(String statusAndRequest) throws Exception {
    String status = statusAndRequest.substring(0, 3);
    String request =
        statusAndRequest.substring(4).replace("{base}", base).replace("{long}", "a".repeat(70_000));
    String answer = raw(request);
    assertTrue(answer.matches("(?s)HTTP/1\\.[01] " + status + " .*"), answer);
    assertEquals(head, changeHead());
  }

  private String raw(String request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              request
                  .replace("HTTP/1.1\r\n", "HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  private void assertProblem(Response response, int status, String type) {
    assertEquals(status, response.statusCode(), response.asString());
    assertTrue(
        response.contentType().startsWith("application/problem+json"), response.contentType());
    if (type != null) {
      assertEquals(type, response.jsonPath().getString("type"));
    }
    assertEquals(status, response.jsonPath().getInt("status"));
    assertFalse(response.jsonPath().getString("detail").isBlank());
    assertFalse(INTERNALS.matcher(response.asString()).find(), response.asString());
    assertEquals(head, changeHead(), "a refused request must not append to the change log");
  }

  private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> copy = new HashMap<>(base);
    copy.put(key, value);
    return copy;
  }
}
