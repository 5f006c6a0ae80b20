package org.pancat.harvest;

import static org.junit.jupiter.api.Assertions.fail;
import static org.pancat.support.Api.as;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Runs a harvest source through the API and waits for its report. */
final class HarvestRunner {
  private HarvestRunner() {}

  /** Starts a run of {@code source} as {@code token} and waits until it ends: its report. */
  static JsonPath runAndWait(String token, String source) {
    Response started = as(token).post("/api/v1/harvest/" + source + "/run");
    if (started.statusCode() != 202) {
      fail("run of " + source + ": " + started.statusCode() + " " + started.asString());
    }
    long id = started.jsonPath().getLong("id");
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonPath run =
          as(token)
              .get("/api/v1/harvest/" + source + "/runs/" + id)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      if (!"running".equals(run.getString("state"))) {
        return run;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
    fail("run " + id + " of " + source + " did not end in 120 s");
    return null;
  }
}
