package org.pancat.support;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Small helpers shared by the HTTP tests. */
public final class Api {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private Api() {}

  public static RequestSpecification as(String token) {
    return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
  }

  public static RequestSpecification anonymous() {
    return given().contentType(ContentType.JSON);
  }

  /** A slug no other test uses, so tests can share one database. */
  public static String uniqueSlug(String prefix) {
    return prefix + "-" + System.nanoTime() % 1_000_000 + "-" + COUNTER.incrementAndGet();
  }

  /** The change log's head sequence number, read through the admin API. */
  public static long changeHead() {
    return as(Tokens.admin())
        .queryParam("after", Long.MAX_VALUE - 1)
        .get("/api/v1/changes")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getLong("head");
  }

  /** Every change of the log, read page by page through the admin API of {@code node}. */
  public static List<Map<String, Object>> everyChange(Supplier<RequestSpecification> admin) {
    List<Map<String, Object>> all = new ArrayList<>();
    while (true) {
      List<Map<String, Object>> page =
          admin
              .get()
              .queryParam("after", all.isEmpty() ? 0 : all.get(all.size() - 1).get("seq"))
              .queryParam("limit", 1000)
              .get("/api/v1/changes")
              .then()
              .statusCode(200)
              .extract()
              .path("items");
      if (page.isEmpty()) {
        return all;
      }
      all.addAll(page);
    }
  }

  /** Up to 1000 changes of the log after {@code after}, read through the admin API. */
  public static JsonPath changesAfter(long after) {
    return as(Tokens.admin())
        .queryParam("after", after)
        .queryParam("limit", 1000)
        .get("/api/v1/changes")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** The newest 100 entries of the access audit, read through the admin API. */
  public static List<Map<String, Object>> recentAudit() {
    return as(Tokens.admin())
        .queryParam("size", 100)
        .get("/api/v1/audit")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items");
  }

  public static Map<String, Object> software(String name, String licence) {
    return Map.of(
        "name",
        name,
        "licence",
        licence,
        "description",
        "test software " + name,
        "techniques",
        List.of("http://purl.org/pan-science/PaNET/PaNET01188"),
        "keywords",
        List.of("saxs"));
  }

  public static String sha256(char fill) {
    return "sha256:" + String.valueOf(fill).repeat(64);
  }

  /** An OCI image artifact document, open unless a sharing class is given. */
  public static Map<String, Object> image(String reference, String digest) {
    return Map.of("kind", "oci-image", "reference", reference, "digest", digest);
  }

  public static Map<String, Object> image(String reference, String digest, String sharingClass) {
    return image(reference, digest, Map.of("class", sharingClass));
  }

  /** A restricted OCI image artifact document that needs {@code licence} accepted. */
  public static Map<String, Object> licensedImage(String reference, String digest, String licence) {
    return image(
        reference,
        digest,
        Map.of("class", "restricted", "conditions", Map.of("licence", Map.of("id", licence))));
  }

  private static Map<String, Object> image(
      String reference, String digest, Map<String, Object> sharing) {
    return Map.of(
        "kind", "oci-image", "reference", reference, "digest", digest, "sharing", sharing);
  }

  /** {@code value} as JSON bytes (a body to push to a registry, say). */
  public static byte[] json(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
}
