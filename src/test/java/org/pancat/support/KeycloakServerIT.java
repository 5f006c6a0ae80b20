package org.pancat.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Keycloak of the sign-in tests: its tokens carry what pancat reads (issuer, the pancat
 * audience, facility, groups, roles, location) and are signed by the keys it publishes; its web
 * client requires PKCE with S256, accepts only the given redirect URI and signs a user in without
 * any required action; a wrong password is refused.
 */
class KeycloakServerIT {
  private static final String REDIRECT = "http://127.0.0.1:23456/*";
  private static final String CALLBACK = "http://127.0.0.1:23456/signed-in";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LOGIN_FORM_ACTION =
      Pattern.compile("action=\"([^\"]*/login-actions/authenticate[^\"]*)\"");

  private static KeycloakServer keycloak;

  @BeforeAll
  static void start() {
    keycloak = KeycloakServer.start(List.of(REDIRECT));
  }

  @AfterAll
  static void stop() {
    if (keycloak != null) {
      keycloak.close();
    }
  }

  @Test
  void accessTokensCarryTheClaimsPancatReads() throws Exception {
    JWTClaimsSet alice = verified(keycloak.accessToken("alice"));
    assertEquals(keycloak.issuer(), alice.getIssuer());
    assertEquals("http://127.0.0.1:", keycloak.issuer().substring(0, 17));
    assertTrue(alice.getAudience().contains("pancat"), "aud " + alice.getAudience());
    assertEquals("alice", alice.getStringClaim("preferred_username"));
    assertEquals("esrf", alice.getStringClaim("facility"));
    assertEquals(List.of("esrf-staff"), alice.getStringListClaim("groups"));
    assertNull(alice.getClaim("roles"), "alice has no roles");
    assertEquals("esrf-campus", alice.getStringClaim("location"));

    JWTClaimsSet ada = verified(keycloak.accessToken("ada"));
    assertTrue(ada.getAudience().contains("pancat"));
    assertEquals("esrf", ada.getStringClaim("facility"));
    assertEquals(List.of("admin"), ada.getStringListClaim("roles"));
    assertNull(ada.getClaim("groups"), "ada is in no group: no groups claim");
    assertNull(ada.getClaim("location"), "ada has no location");

    JWTClaimsSet bob = verified(keycloak.accessToken("bob"));
    assertEquals("desy", bob.getStringClaim("facility"));
    assertNull(bob.getClaim("groups"));
    assertNull(bob.getClaim("roles"));

    JWTClaimsSet pia = verified(keycloak.accessToken("pia"));
    assertEquals(List.of("publisher"), pia.getStringListClaim("roles"));
  }

  @Test
  void idTokensCarryThemToo() throws Exception {
    JWTClaimsSet alice = verified(keycloak.idToken("alice"));
    assertEquals(keycloak.issuer(), alice.getIssuer());
    assertTrue(alice.getAudience().contains("pancat"), "aud " + alice.getAudience());
    assertTrue(alice.getAudience().contains(keycloak.cliClientId()), "aud " + alice.getAudience());
    assertEquals("esrf", alice.getStringClaim("facility"));
    assertEquals(List.of("esrf-staff"), alice.getStringListClaim("groups"));
    assertEquals("esrf-campus", alice.getStringClaim("location"));
    assertEquals("alice@pancat.test", alice.getStringClaim("email"));

    JWTClaimsSet ada = verified(keycloak.idToken("ada"));
    assertTrue(ada.getAudience().contains("pancat"));
    assertEquals(List.of("admin"), ada.getStringListClaim("roles"));
  }

  @Test
  void discoveryListsS256AndTheKeysItSignsWith() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    JsonNode discovery =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create(keycloak.issuer() + "/.well-known/openid-configuration"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    assertEquals(keycloak.issuer(), discovery.path("issuer").asText());
    assertEquals(keycloak.jwksUrl(), discovery.path("jwks_uri").asText());
    assertEquals(keycloak.tokenUrl(), discovery.path("token_endpoint").asText());
    List<String> methods = strings(discovery.path("code_challenge_methods_supported"));
    assertTrue(methods.contains("S256"), "code_challenge_methods_supported " + methods);
  }

  @Test
  void aWrongPasswordIsRefused() throws Exception {
    // Keycloak 26.7 answers 400 invalid_grant (RFC 6749 5.2), not 401 as older releases did
    HttpResponse<String> refused = keycloak.passwordGrant("alice", "not-her-password", null);
    assertEquals(400, refused.statusCode(), refused.body());
    assertEquals("invalid_grant", JSON.readTree(refused.body()).path("error").asText());
    assertThrows(IllegalArgumentException.class, () -> keycloak.password("mallory"));
  }

  @Test
  void theWebClientSignsInWithPkceAndNoRequiredAction() throws Exception {
    HttpClient browser =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    String verifier = random();
    String challenge =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    String state = random();
    String nonce = random();
    Map<String, String> authorize = new LinkedHashMap<>();
    authorize.put("client_id", keycloak.webClientId());
    authorize.put("response_type", "code");
    authorize.put("redirect_uri", CALLBACK);
    authorize.put("scope", "openid");
    authorize.put("state", state);
    authorize.put("nonce", nonce);

    // without PKCE the request goes back to the app with an error
    HttpResponse<String> noPkce = get(browser, authorizeUrl(authorize));
    assertEquals(302, noPkce.statusCode(), noPkce.body());
    String noPkceLocation = noPkce.headers().firstValue("Location").orElseThrow();
    assertTrue(noPkceLocation.startsWith(CALLBACK + "?"), noPkceLocation);
    assertTrue(noPkceLocation.contains("error=invalid_request"), noPkceLocation);

    // plain is not S256
    authorize.put("code_challenge", verifier);
    authorize.put("code_challenge_method", "plain");
    HttpResponse<String> plain = get(browser, authorizeUrl(authorize));
    assertEquals(302, plain.statusCode(), plain.body());
    assertTrue(
        plain.headers().firstValue("Location").orElseThrow().contains("error=invalid_request"));

    // a redirect URI the client does not list is refused on Keycloak's own page
    Map<String, String> elsewhere = new LinkedHashMap<>(authorize);
    elsewhere.put("redirect_uri", "http://127.0.0.1:23457/signed-in");
    elsewhere.put("code_challenge", challenge);
    elsewhere.put("code_challenge_method", "S256");
    assertEquals(400, get(browser, authorizeUrl(elsewhere)).statusCode());

    authorize.put("code_challenge", challenge);
    authorize.put("code_challenge_method", "S256");
    HttpResponse<String> loginPage = get(browser, authorizeUrl(authorize));
    assertEquals(200, loginPage.statusCode());
    Matcher action = LOGIN_FORM_ACTION.matcher(loginPage.body());
    assertTrue(action.find(), "a login form: " + loginPage.body());
    HttpResponse<String> signedIn =
        browser.send(
            HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookies(loginPage))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form(
                            Map.of(
                                "username",
                                "alice",
                                "password",
                                keycloak.password("alice"),
                                "credentialId",
                                ""))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    // straight back to the app: no page asks for a profile update, a password or a verification
    assertEquals(302, signedIn.statusCode(), signedIn.body());
    URI back = URI.create(signedIn.headers().firstValue("Location").orElseThrow());
    assertTrue(back.toString().startsWith(CALLBACK + "?"), back.toString());
    Map<String, String> query = query(back);
    assertEquals(state, query.get("state"));
    assertEquals(keycloak.issuer(), query.get("iss"));
    String code = query.get("code");
    assertNotNull(code, back.toString());

    String basic =
        Base64.getEncoder()
            .encodeToString(
                (keycloak.webClientId() + ":" + keycloak.webClientSecret())
                    .getBytes(StandardCharsets.UTF_8));
    Map<String, String> exchange = new LinkedHashMap<>();
    exchange.put("grant_type", "authorization_code");
    exchange.put("code", code);
    exchange.put("redirect_uri", CALLBACK);
    exchange.put("code_verifier", verifier);
    HttpResponse<String> tokens =
        browser.send(
            HttpRequest.newBuilder(URI.create(keycloak.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form(exchange)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, tokens.statusCode(), tokens.body());
    JsonNode body = JSON.readTree(tokens.body());
    JWTClaimsSet id = verified(body.path("id_token").asText());
    assertEquals(nonce, id.getStringClaim("nonce"));
    assertTrue(id.getAudience().contains(keycloak.webClientId()), "aud " + id.getAudience());
    assertTrue(id.getAudience().contains("pancat"), "aud " + id.getAudience());
    assertEquals("esrf", id.getStringClaim("facility"));
    assertEquals(List.of("esrf-staff"), id.getStringListClaim("groups"));
    JWTClaimsSet access = verified(body.path("access_token").asText());
    assertTrue(access.getAudience().contains("pancat"), "aud " + access.getAudience());
    assertEquals("esrf-campus", access.getStringClaim("location"));

    // the web client has no password grant
    exchange.clear();
    exchange.put("grant_type", "password");
    exchange.put("username", "alice");
    exchange.put("password", keycloak.password("alice"));
    HttpResponse<String> direct =
        browser.send(
            HttpRequest.newBuilder(URI.create(keycloak.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form(exchange)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(direct.body().contains("unauthorized_client"), direct.body());
  }

  /** The token's claims, once its RS256 signature checks out against Keycloak's published keys. */
  private static JWTClaimsSet verified(String token) throws Exception {
    SignedJWT jwt = SignedJWT.parse(token);
    assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
    JWKSet keys = JWKSet.load(URI.create(keycloak.jwksUrl()).toURL());
    JWK key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertNotNull(key, "kid " + jwt.getHeader().getKeyID() + " in " + keycloak.jwksUrl());
    assertTrue(jwt.verify(new RSASSAVerifier(key.toRSAKey())), "signature");
    return jwt.getJWTClaimsSet();
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The cookies a response set, as a Cookie header. Keycloak 26 marks its login cookies Secure even
   * over http (browsers keep them for 127.0.0.1, a secure context); java.net.CookieManager would
   * not send them back over http, so the test carries them itself.
   */
  private static String cookies(HttpResponse<?> response) {
    String header =
        response.headers().allValues("Set-Cookie").stream()
            .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
            .collect(Collectors.joining("; "));
    assertTrue(header.contains("AUTH_SESSION_ID="), "Keycloak's cookies: " + header);
    return header;
  }

  private static String authorizeUrl(Map<String, String> parameters) {
    return keycloak.issuer() + "/protocol/openid-connect/auth?" + form(parameters);
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      query.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return query;
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static String random() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
