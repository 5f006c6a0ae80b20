package org.pancat.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser's cookies and form tokens, for page tests over plain HTTP: keeps what the node sets,
 * sends it back, and fills each form's token from the last page it read, as a browser would.
 */
public final class WebSession {
  private static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private final Map<String, String> cookies = new LinkedHashMap<>();
  private String lastPage = "";

  /** The test node's development sign-in code for this start (target/test-dev-issuer). */
  public static String devSignInCode() {
    try {
      return Files.readString(Path.of("target", "test-dev-issuer", "sign-in-code")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new browser, signed in through the development sign-in form. */
  public static WebSession signedIn(String subject, String facility, String... roles) {
    WebSession s = new WebSession();
    s.get("/signin").then().statusCode(200);
    Map<String, Object> form = new LinkedHashMap<>();
    form.put("code", devSignInCode());
    form.put("subject", subject);
    form.put("facility", facility);
    form.put("roles", List.of(roles));
    form.put("next", "/");
    s.post("/signin/dev", form).then().statusCode(303);
    return s;
  }

  public Response get(String path) {
    Response r = request().get(path);
    keep(r);
    lastPage = r.asString();
    return r;
  }

  /** Posts a form with the token of the last page read, from this site. */
  public Response post(String path, Map<String, ?> form) {
    Response r =
        request()
            .header("Sec-Fetch-Site", "same-origin")
            .formParams(withToken(form))
            .redirects()
            .follow(false)
            .post(path);
    keep(r);
    return r;
  }

  /** Posts a form as given, without adding the token. */
  public Response postWithoutToken(String path, Map<String, ?> form) {
    Response r = request().formParams(form).redirects().follow(false).post(path);
    keep(r);
    return r;
  }

  /** The form token of the last page read. */
  public String token() {
    Matcher m = TOKEN.matcher(lastPage);
    if (!m.find()) {
      throw new AssertionError("the last page read has no form");
    }
    return m.group(1);
  }

  public String cookie(String name) {
    return cookies.get(name);
  }

  public WebSession without(String cookie) {
    cookies.remove(cookie);
    return this;
  }

  public RequestSpecification request() {
    return given().cookies(cookies).redirects().follow(false);
  }

  private Map<String, Object> withToken(Map<String, ?> form) {
    Map<String, Object> all = new LinkedHashMap<>(form);
    all.put("csrf", token());
    return all;
  }

  private void keep(Response r) {
    for (String header : r.headers().getValues("Set-Cookie")) {
      String pair = header.split(";", 2)[0];
      int eq = pair.indexOf('=');
      String name = pair.substring(0, eq);
      String value = pair.substring(eq + 1);
      if (value.isEmpty() || header.contains("Max-Age=0")) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
  }
}
