package org.pancat.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.changeHead;
import static org.pancat.support.Api.sha256;
import static org.pancat.support.Api.software;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pancat.support.Api;
import org.pancat.support.Tokens;

/**
 * Twenty parallel requests per entity through the real HTTP API, released together: identical
 * creates make exactly one creation and nineteen 200s; conflicting documents for an immutable
 * entity make one creation and 409s; never a 500, and the change log holds one entry per creation.
 * Run on H2 and, in CI, on PostgreSQL.
 */
@QuarkusTest
class ConcurrentWritesTest {
  private static final int PARALLEL = 20;
  private static final String ADMIN = Tokens.admin();
  private static final String ESRF = Tokens.publisher("esrf");
  private static final ExecutorService POOL = Executors.newFixedThreadPool(PARALLEL);

  @AfterAll
  static void stopPool() {
    POOL.shutdownNow();
  }

  @Test
  void facility() {
    String id = uniqueSlug("fac").replace('.', '-');
    identical(
        "facility",
        id,
        i -> as(ADMIN).body(Map.of("name", "Facility " + id)),
        "/api/v1/facilities/" + id,
        "PUT");
  }

  @Test
  void softwareEntry() {
    String slug = uniqueSlug("race");
    identical(
        "software",
        "esrf/" + slug,
        i -> as(ESRF).body(software("Race " + slug, "MIT")),
        "/api/v1/software/esrf/" + slug,
        "PUT");
  }

  @Test
  void releaseAndArtifact() {
    String base = RegistrationTest.registerSoftware();
    identical(
        "release",
        base.substring(17),
        i -> as(ESRF).body(Map.of("notes", "n")),
        base + "/releases/1",
        "PUT");
    conflicting(201, i -> as(ESRF).body(Map.of("notes", "n" + i)), base + "/releases/2", "PUT");
    identical(
        "artifact",
        null,
        i ->
            as(ESRF).body(RegistrationTest.ociArtifact("registry.esrf.fr/pan/race:1", sha256('1'))),
        base + "/releases/1/artifacts",
        "POST");
    conflicting(
        201,
        i ->
            as(ESRF)
                .body(
                    RegistrationTest.ociArtifact(
                        "registry.esrf.fr/pan/race:1", sha256((char) ('a' + i % 6)))),
        base + "/releases/2/artifacts",
        "POST");
  }

  @Test
  void computeResource() {
    String id = uniqueSlug("cr").replace('.', '-');
    identical(
        "compute-resource",
        id,
        i ->
            as(ADMIN)
                .body(
                    Map.of(
                        "facility",
                        "esrf",
                        "architectures",
                        List.of("amd64"),
                        "runtimes",
                        List.of("docker"))),
        "/api/v1/compute-resources/" + id,
        "PUT");
  }

  @Test
  void trustPolicy() {
    String facility = uniqueSlug("tp").replace('.', '-');
    as(ADMIN)
        .body(Map.of("name", "TP"))
        .put("/api/v1/facilities/" + facility)
        .then()
        .statusCode(201);
    identical(
        "trust-policy",
        facility,
        i ->
            as(ADMIN)
                .body(
                    Map.of(
                        "signers",
                        List.of(
                            Map.of(
                                "identity",
                                "release@esrf.fr",
                                "issuer",
                                "https://login.esrf.fr")))),
        "/api/v1/facilities/" + facility + "/trust-policy",
        "PUT");
  }

  @Test
  void licenceAndAcceptances() {
    String licence = "LicenseRef-Race-" + uniqueSlug("l");
    identical(
        "licence",
        licence,
        i -> as(ADMIN).body(Map.of("title", "Race terms", "version", "1", "text", "terms")),
        "/api/v1/licences/" + licence,
        "PUT");
    conflicting(
        200,
        i -> as(ADMIN).body(Map.of("title", "Race terms", "version", "2", "text", "terms " + i)),
        "/api/v1/licences/" + licence,
        "PUT");
    String user = Tokens.user(uniqueSlug("racer"), "desy", List.of());
    Map<Integer, Integer> statuses =
        race(i -> as(user).body(Map.of()), "/api/v1/licences/" + licence + "/acceptances", "POST");
    assertEquals(Map.of(201, 1, 200, PARALLEL - 1), statuses, "one acceptance, then the same");
    JsonPath me = as(user).get("/api/v1/me").then().statusCode(200).extract().jsonPath();
    assertEquals(
        1,
        me.getList("acceptances.findAll { it.licence == '" + licence + "' }").size(),
        me.prettify());
  }

  /** Identical requests: one 201, the rest 200, and one change-log entry for the entity. */
  private void identical(
      String entity,
      String id,
      IntFunction<RequestSpecification> request,
      String path,
      String method) {
    long head = changeHead();
    Map<Integer, Integer> statuses = race(request, path, method);
    assertEquals(Map.of(201, 1, 200, PARALLEL - 1), statuses, method + " " + path);
    List<Map<String, Object>> logged = changesAfter(head, entity, id);
    assertEquals(1, logged.size(), "one change-log entry for " + entity + " " + id + ": " + logged);
  }

  /**
   * Different documents for an immutable entity (or version): one wins with {@code winner} (201 for
   * a creation, 200 for a new licence version), the rest 409 (or 200 if identical to the winner).
   */
  private void conflicting(
      int winner, IntFunction<RequestSpecification> request, String path, String method) {
    Map<Integer, Integer> statuses = race(request, path, method);
    assertTrue(statuses.getOrDefault(winner, 0) >= 1, method + " " + path + ": " + statuses);
    assertTrue(statuses.getOrDefault(409, 0) >= 1, method + " " + path + ": " + statuses);
    if (winner == 201) {
      assertEquals(1, statuses.get(201), method + " " + path + ": " + statuses);
    }
    assertTrue(
        statuses.keySet().stream().allMatch(s -> s == 201 || s == 200 || s == 409),
        method + " " + path + ": " + statuses);
  }

  /** Sends {@link #PARALLEL} requests released at once; counts each status. */
  private static Map<Integer, Integer> race(
      IntFunction<RequestSpecification> request, String path, String method) {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Response>> answers = new ArrayList<>();
    for (int i = 0; i < PARALLEL; i++) {
      RequestSpecification spec = request.apply(i);
      Callable<Response> call =
          () -> {
            start.await();
            return spec.request(method, path);
          };
      answers.add(POOL.submit(call));
    }
    start.countDown();
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (Future<Response> answer : answers) {
      try {
        Response response = answer.get();
        statuses.merge(response.statusCode(), 1, Integer::sum);
        assertTrue(response.statusCode() < 500, response.asString());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return statuses;
  }

  private static List<Map<String, Object>> changesAfter(long after, String entity, String id) {
    JsonPath page = Api.changesAfter(after);
    List<Map<String, Object>> items = page.getList("items");
    return items.stream()
        .filter(c -> entity.equals(c.get("entity")) && (id == null || id.equals(c.get("id"))))
        .toList();
  }
}
