package org.pancat.trust;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.anonymous;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.changeHead;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pancat.support.Api;
import org.pancat.support.Signing;
import org.pancat.support.Tokens;

/** Verified signatures, computed trust, policy changes and release history over HTTP. */
@QuarkusTest
class TrustTest {
  private static final String ADMIN = Tokens.admin();
  private static final String CI_BUILDER =
      "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder.yml@v2";

  /** A facility of its own per test, so policies do not leak between tests. */
  private static String facility(String prefix) {
    String id = Api.uniqueSlug(prefix);
    as(ADMIN).body(Map.of("name", id)).put("/api/v1/facilities/" + id).then().statusCode(201);
    return id;
  }

  /** Registers software with one release and an OCI artifact of {@code digest}; its path. */
  private static String artifact(String facility, String digest) {
    String base = "/api/v1/software/" + facility + "/tool";
    String publisher = Tokens.publisher(facility);
    as(publisher).body(Api.software("Trust tool", "MIT")).put(base).then().statusCode(201);
    as(publisher).body(Map.of()).put(base + "/releases/1.0").then().statusCode(201);
    String id =
        as(publisher)
            .body(
                Map.of(
                    "kind",
                    "oci-image",
                    "reference",
                    "registry." + facility + ".eu/pan/tool:1.0",
                    "digest",
                    digest,
                    "platforms",
                    List.of(Map.of("os", "linux", "arch", "amd64"))))
            .post(base + "/releases/1.0/artifacts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    return base + "/releases/1.0/artifacts/" + id;
  }

  private static void policy(String facility, Map<String, Object> policy, int status) {
    as(ADMIN)
        .body(policy)
        .put("/api/v1/facilities/" + facility + "/trust-policy")
        .then()
        .statusCode(status);
  }

  private static Map<String, Object> keyless(String identity) {
    return Map.of(
        "signers", List.of(Map.of("identity", identity, "issuer", Signing.BUNDLE_ISSUER)));
  }

  private static JsonPath get(String path) {
    return given().get(path).then().statusCode(200).extract().jsonPath();
  }

  private static List<String> trustedSoftware(String facility) {
    return given()
        .queryParam("facility", facility)
        .queryParam("trust", "trusted")
        .get("/api/v1/software")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items.id");
  }

  @Test
  void keylessBundleFromAPolicySignerIsTrustedUntilThePolicyDropsIt() {
    String f = facility("trust-keyless");
    String path = artifact(f, Signing.BUNDLE_DIGEST);
    policy(f, keyless(Signing.BUNDLE_IDENTITY), 201);
    as(Tokens.publisher(f))
        .body(Map.of("kind", "sigstore-bundle", "bundle", Signing.bundle("0.3")))
        .post(path + "/signatures")
        .then()
        .statusCode(201)
        .body("verified.identity", equalTo(Signing.BUNDLE_IDENTITY))
        .body("verified.issuer", equalTo(Signing.BUNDLE_ISSUER))
        .body("verified.signedAt", equalTo("2023-10-11T14:28:04Z"));

    JsonPath trusted = get(path);
    assertEquals("trusted", trusted.getString("trust.class"));
    assertEquals(1, trusted.getInt("trust.policyVersion"));
    assertTrue(
        trusted
            .getList("trust.reasons")
            .contains("signed by appu@google.com via https://accounts.google.com"),
        trusted.prettify());
    assertTrue(trusted.getBoolean("trust.signers[0].trustedByPolicy"));
    assertEquals(List.of(f + "/tool"), trustedSoftware(f));
    given()
        .queryParam("facility", f)
        .get("/api/v1/software")
        .then()
        .body(
            "items[0].signedBy",
            equalTo(List.of("appu@google.com via https://accounts.google.com")))
        .body("items[0].trust", equalTo(List.of("trusted")));

    // the signer is removed: the artifact turns untrusted, in search and in history
    policy(f, keyless("someone-else@" + f + ".eu"), 200);
    JsonPath untrusted = get(path);
    assertEquals("untrusted", untrusted.getString("trust.class"));
    assertEquals(2, untrusted.getInt("trust.policyVersion"));
    assertTrue(
        untrusted
            .getList("trust.reasons")
            .contains(
                "signed by appu@google.com via https://accounts.google.com, which is not a"
                    + " trusted signer of "
                    + f),
        untrusted.prettify());
    assertEquals(List.of(), trustedSoftware(f));
    assertTrue(
        given()
            .queryParam("facility", f)
            .queryParam("trust", "untrusted")
            .get("/api/v1/software")
            .then()
            .extract()
            .jsonPath()
            .getList("items.id")
            .contains(f + "/tool"));

    JsonPath history = get("/api/v1/software/" + f + "/tool/releases/1.0/history");
    assertEquals(
        List.of("release", "artifact", "signature", "trust", "trust"),
        history.getList("entity"),
        history.prettify());
    assertEquals(
        List.of("trusted", "untrusted"),
        history.getList("findAll { it.entity == 'trust' }.trustClass"));
    assertEquals(List.of(1, 2), history.getList("findAll { it.entity == 'trust' }.policyVersion"));
    assertTrue(history.getString("summary[2]").contains("signed by appu@google.com"));
    assertFalse(history.prettify().contains("registry." + f), "history shows no reference");

    // the same policy again changes nothing
    long head = changeHead();
    policy(f, keyless("someone-else@" + f + ".eu"), 200);
    assertEquals(head, changeHead());
  }

  @Test
  void everyBundleVersionVerifiesAndAnIdentityOutsideThePolicyIsUntrustedWithThatReason() {
    for (String version : List.of("0.1", "0.2", "0.3")) {
      String f = facility("trust-v" + version.replace(".", ""));
      String path = artifact(f, Signing.BUNDLE_DIGEST);
      policy(f, keyless("ci@" + f + ".eu"), 201);
      as(Tokens.publisher(f))
          .body(Map.of("kind", "sigstore-bundle", "bundle", Signing.bundle(version)))
          .post(path + "/signatures")
          .then()
          .statusCode(201);
      JsonPath artifact = get(path);
      assertEquals("untrusted", artifact.getString("trust.class"));
      assertTrue(
          artifact.getList("trust.reasons").contains("no signature by a trusted signer of " + f),
          artifact.prettify());
      assertFalse(artifact.getBoolean("trust.signers[0].trustedByPolicy"));
    }
  }

  @Test
  void tamperedSignaturesAre422AndStoreNothing() {
    String f = facility("trust-tamper");
    String path = artifact(f, Signing.BUNDLE_DIGEST);
    String publisher = Tokens.publisher(f);
    long head = changeHead();

    ObjectNode badSignature = Signing.bundle("0.3");
    ObjectNode sig = (ObjectNode) badSignature.get("messageSignature");
    sig.put("signature", Signing.flip(sig.get("signature").asText(), 12));
    ObjectNode badCertificate = Signing.bundle("0.3");
    ObjectNode cert = (ObjectNode) badCertificate.get("verificationMaterial").get("certificate");
    cert.put("rawBytes", Signing.flip(cert.get("rawBytes").asText(), 300));
    ObjectNode badEntry = Signing.bundle("0.2");
    ObjectNode entry = (ObjectNode) badEntry.get("verificationMaterial").get("tlogEntries").get(0);
    entry.put("canonicalizedBody", Signing.flip(entry.get("canonicalizedBody").asText(), 60));

    for (ObjectNode bundle : List.of(badSignature, badCertificate, badEntry)) {
      as(publisher)
          .body(Map.of("kind", "sigstore-bundle", "bundle", bundle))
          .post(path + "/signatures")
          .then()
          .statusCode(422)
          .contentType("application/problem+json")
          .body("type", equalTo("/problems/signature-invalid"))
          .body("detail", containsString("does not verify"));
    }
    // a valid bundle over another digest
    String other = artifact(facility("trust-other"), "sha256:" + "0f".repeat(32));
    as(Tokens.publisher(other.split("/")[4]))
        .body(Map.of("kind", "sigstore-bundle", "bundle", Signing.bundle("0.3")))
        .post(other + "/signatures")
        .then()
        .statusCode(422)
        .body("detail", containsString("digest"));

    Signing signing = new Signing();
    as(publisher)
        .body(
            Map.of(
                "kind",
                "public-key",
                "publicKey",
                signing.publicKeyPem(),
                "signature",
                signing.signDigest("sha256:" + "77".repeat(32))))
        .post(path + "/signatures")
        .then()
        .statusCode(422)
        .body("type", equalTo("/problems/signature-invalid"));

    given().get(path + "/signatures").then().statusCode(200).body("$", hasSize(0));
    assertEquals("no signature", get(path).getString("trust.reasons[0]"));
    assertTrue(changeHead() > head, "the other artifact was registered");
  }

  @Test
  void keyPairsKOfNAndRequiredProvenance() {
    String f = facility("trust-keys");
    String digest = "sha256:" + "5a".repeat(32);
    String path = artifact(f, digest);
    Signing release = new Signing();
    Signing staff = new Signing();
    policy(
        f,
        Map.of(
            "publicKeys",
            List.of(
                Map.of("name", "release-key", "publicKey", release.publicKeyPem()),
                Map.of("name", "staff-key", "publicKey", staff.publicKeyPem())),
            "builders",
            List.of(CI_BUILDER),
            "requireProvenance",
            true,
            "minSignatures",
            2),
        201);
    String publisher = Tokens.publisher(f);
    as(publisher)
        .body(release.keySignature(digest))
        .post(path + "/signatures")
        .then()
        .statusCode(201);
    JsonPath one = get(path);
    assertEquals("untrusted", one.getString("trust.class"));
    assertTrue(one.getList("trust.reasons").contains("1 of 2 required trusted signatures"));
    assertTrue(
        one.getList("trust.reasons")
            .contains(f + " requires provenance from a trusted builder and there is none"));

    as(publisher)
        .body(staff.keySignature(digest))
        .post(path + "/signatures")
        .then()
        .statusCode(201);
    as(publisher)
        .body(statement(digest, CI_BUILDER))
        .post(path + "/provenance")
        .then()
        .statusCode(201);
    JsonPath trusted = get(path);
    assertEquals("trusted", trusted.getString("trust.class"), trusted.prettify());
    assertTrue(
        trusted.getList("trust.reasons").stream()
            .anyMatch(r -> r.toString().startsWith("signed by key release-key (sha256:")));
    assertEquals(CI_BUILDER, trusted.getString("trust.provenance[0].builderId"));
    assertTrue(trusted.getBoolean("trust.provenance[0].trustedBuilder"));
    given()
        .get("/api/v1/facilities/" + f + "/trust-policy")
        .then()
        .statusCode(200)
        .body("version", equalTo(1))
        .body(
            "keyFingerprints.release-key",
            equalTo(SignatureVerifier.fingerprint(release.publicKeyPem())));
  }

  @Test
  void provenanceInASigstoreBundleIsVerifiedAndCanBeRequired() {
    String f = facility("trust-slsa");
    String path = artifact(f, Signing.BUNDLE_DIGEST);
    Map<String, Object> policy =
        Map.of(
            "signers",
            List.of(Map.of("identity", Signing.BUNDLE_IDENTITY, "issuer", Signing.BUNDLE_ISSUER)),
            "builders",
            List.of(Signing.PROVENANCE_BUILDER),
            "requireProvenance",
            true);
    policy(f, policy, 201);
    String publisher = Tokens.publisher(f);
    as(publisher)
        .body(Map.of("kind", "sigstore-bundle", "bundle", Signing.bundle("0.3")))
        .post(path + "/signatures")
        .then()
        .statusCode(201);
    assertEquals("untrusted", get(path).getString("trust.class"));

    ObjectNode tampered = Signing.provenanceBundle();
    ObjectNode envelope = (ObjectNode) tampered.get("dsseEnvelope");
    envelope.put("payload", Signing.flip(envelope.get("payload").asText(), 500));
    as(publisher).body(tampered).post(path + "/provenance").then().statusCode(422);

    as(publisher)
        .body(Signing.provenanceBundle())
        .post(path + "/provenance")
        .then()
        .statusCode(201)
        .body("builderId", equalTo(Signing.PROVENANCE_BUILDER))
        .body(
            "signedBy",
            equalTo(
                Signing.PROVENANCE_BUILDER + " via https://token.actions.githubusercontent.com"));
    JsonPath trusted = get(path);
    assertEquals("trusted", trusted.getString("trust.class"), trusted.prettify());
    assertTrue(trusted.getBoolean("trust.provenance[0].trustedBuilder"));
    assertEquals(
        "ebff8dfbd609b7b22237c7719ce07f2dc7934f5f",
        trusted.getString("trust.provenance[0].sourceCommit"));
  }

  @Test
  void policiesAreAdminOnlyAndValidated() {
    String f = facility("trust-policy");
    String url = "/api/v1/facilities/" + f + "/trust-policy";
    Map<String, Object> policy = keyless("ci@" + f + ".eu");
    anonymous().body(policy).put(url).then().statusCode(401);
    as(Tokens.publisher(f)).body(policy).put(url).then().statusCode(403);
    as(Tokens.user("u-" + f, f, List.of())).body(policy).put(url).then().statusCode(403);
    given().get(url).then().statusCode(404).body("type", equalTo("/problems/not-found"));
    as(ADMIN)
        .body(Map.of("signers", List.of(Map.of("issuer", Signing.BUNDLE_ISSUER))))
        .put(url)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("signers[0]"));
    as(ADMIN)
        .body(
            Map.of(
                "signers",
                List.of(Map.of("identityPattern", "([", "issuer", Signing.BUNDLE_ISSUER))))
        .put(url)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("signers[0].identityPattern"));
    as(ADMIN)
        .body(Map.of("publicKeys", List.of(Map.of("name", "k", "publicKey", "not a key"))))
        .put(url)
        .then()
        .statusCode(400);
    as(ADMIN).body(Map.of("minSignatures", 0)).put(url).then().statusCode(400);
    as(ADMIN)
        .body(policy)
        .put("/api/v1/facilities/no-such-facility/trust-policy")
        .then()
        .statusCode(404);
    as(ADMIN).body(policy).put(url).then().statusCode(201);
    given()
        .get(url)
        .then()
        .statusCode(200)
        .body("policy.signers.identity", hasItem("ci@" + f + ".eu"));
  }

  @Test
  void signaturesNeedThePublisherOfTheFacility() {
    String f = facility("trust-access");
    String path = artifact(f, Signing.BUNDLE_DIGEST);
    Map<String, Object> body = Map.of("kind", "sigstore-bundle", "bundle", Signing.bundle("0.3"));
    anonymous().body(body).post(path + "/signatures").then().statusCode(401);
    as(Tokens.publisher("esrf")).body(body).post(path + "/signatures").then().statusCode(403);
    as(Tokens.user("u-" + f, f, List.of()))
        .body(body)
        .post(path + "/signatures")
        .then()
        .statusCode(403);
    given().get(path + "/signatures").then().body("$", hasSize(0));
  }

  private static Map<String, Object> statement(String digest, String builder) {
    return Map.of(
        "_type",
        "https://in-toto.io/Statement/v1",
        "subject",
        List.of(Map.of("name", "tool", "digest", Map.of("sha256", digest.substring(7)))),
        "predicateType",
        "https://slsa.dev/provenance/v1",
        "predicate",
        Map.of(
            "buildDefinition",
            Map.of(
                "buildType",
                "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
                "externalParameters",
                Map.of("workflow", Map.of("repository", "https://github.com/esrf/tool"))),
            "runDetails",
            Map.of("builder", Map.of("id", builder))));
  }
}
