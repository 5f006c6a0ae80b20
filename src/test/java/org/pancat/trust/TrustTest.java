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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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
  private static final String ACTIONS = "https://token.actions.githubusercontent.com";
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
        history.getList("items.entity"),
        history.prettify());
    assertEquals(
        List.of("trusted", "untrusted"),
        history.getList("items.findAll { it.entity == 'trust' }.trustClass"));
    assertEquals(
        List.of(1, 2), history.getList("items.findAll { it.entity == 'trust' }.policyVersion"));
    assertTrue(history.getString("items.summary[2]").contains("signed by appu@google.com"));
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

    given()
        .get(path + "/signatures")
        .then()
        .statusCode(200)
        .body("items", hasSize(0))
        .body("total", equalTo(0));
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
    List<Map<String, String>> keys =
        List.of(
            Map.of("name", "release-key", "publicKey", release.publicKeyPem()),
            Map.of("name", "staff-key", "publicKey", staff.publicKeyPem()));
    policy(
        f,
        Map.of(
            "publicKeys",
            keys,
            "builders",
            List.of(
                Map.of(
                    "id",
                    CI_BUILDER,
                    "signers",
                    List.of(Map.of("identity", CI_BUILDER, "issuer", ACTIONS)))),
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
            .contains(
                f
                    + " requires provenance from a trusted builder, signed by an identity its"
                    + " policy binds to that builder, and there is none"));

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
    JsonPath claimed = get(path);
    assertEquals("untrusted", claimed.getString("trust.class"), "an unsigned statement is a claim");
    assertFalse(claimed.getBoolean("trust.provenance[0].trustedBuilder"));
    assertTrue(
        claimed.getList("trust.reasons").stream()
            .anyMatch(r -> r.toString().contains("unsigned statement: a claim")),
        claimed.prettify());
    // the same statement in a DSSE envelope, signed with a key but not in a Sigstore bundle,
    // is no stronger, and one whose signature is broken neither
    Map<String, Object> envelope = release.provenanceEnvelope("registry.example/tool", digest);
    as(publisher).body(envelope).post(path + "/provenance").then().statusCode(201);
    assertEquals("untrusted", get(path).getString("trust.class"));
    Map<String, Object> broken = new HashMap<>(envelope);
    @SuppressWarnings("unchecked")
    Map<String, Object> signature = ((List<Map<String, Object>>) envelope.get("signatures")).get(0);
    broken.put(
        "signatures",
        List.of(Map.of("keyid", "", "sig", Signing.flip(signature.get("sig").toString(), 10))));
    as(publisher).body(broken).post(path + "/provenance").then().statusCode(201);
    JsonPath stillClaimed = get(path);
    assertEquals("untrusted", stillClaimed.getString("trust.class"));
    assertFalse(
        stillClaimed.getList("trust.provenance.trustedBuilder").contains(true),
        "no statement, signed with a broken signature or not, made the builder");
    // without the provenance requirement the two key signatures are enough
    policy(f, Map.of("publicKeys", keys, "minSignatures", 2), 200);
    JsonPath trusted = get(path);
    assertEquals("trusted", trusted.getString("trust.class"), trusted.prettify());
    assertTrue(
        trusted.getList("trust.reasons").stream()
            .anyMatch(r -> r.toString().startsWith("signed by key release-key (sha256:")));
    assertEquals(CI_BUILDER, trusted.getString("trust.provenance[0].builderId"));
    given()
        .get("/api/v1/facilities/" + f + "/trust-policy")
        .then()
        .statusCode(200)
        .body("version", equalTo(2))
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
            List.of(
                Map.of(
                    "id",
                    Signing.PROVENANCE_BUILDER,
                    "signers",
                    List.of(Map.of("identity", Signing.PROVENANCE_BUILDER, "issuer", ACTIONS)))),
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

  /**
   * slsa-verifier's "wrong signer" fixture: a real, validly signed statement that claims the
   * publish-to-bcr builder but was signed by an unrelated workflow. It verifies (it is a real
   * signature) and is stored, but it does not make the builder; the genuine statement does.
   */
  @Test
  void provenanceSignedByAnotherWorkflowThanTheBuilderItClaimsIsNotTrusted() throws Exception {
    String f = facility("trust-bcr");
    String digest = "sha256:06ce330900a7d6403bc8d88e5dfad6aeeb8ae40179f66bb89e69c8bf6f6b1a0b";
    String bcr = "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml";
    String bcrIdentity =
        "https://github\\.com/bazel-contrib/publish-to-bcr/\\.github/workflows/publish\\.yaml@refs/tags/.+";
    Map<String, Object> signer = Map.of("identityPattern", bcrIdentity, "issuer", ACTIONS);
    Map<String, Object> bcrPolicy =
        Map.of(
            "signers",
            List.of(signer),
            "builders",
            List.of(Map.of("id", bcr + "@refs/tags/v0.0.1", "signers", List.of(signer))),
            "requireProvenance",
            true);
    policy(f, bcrPolicy, 201);
    String publisher = Tokens.publisher(f);
    JsonNode genuine = fixture("slsa-verifier-bcr/MODULE.bazel.intoto.jsonl");
    JsonNode wrongSigner = fixture("slsa-verifier-bcr/MODULE-wrong-signer.bazel.intoto.jsonl");

    String impostor = artifact(f, digest);
    as(publisher)
        .body(Map.of("kind", "sigstore-bundle", "bundle", genuine))
        .post(impostor + "/signatures")
        .then()
        .statusCode(201);
    as(publisher)
        .body(wrongSigner)
        .post(impostor + "/provenance")
        .then()
        .statusCode(201)
        .body("builderId", equalTo(bcr + "@refs/tags/v0.0.1"))
        .body("signedBy", containsString("loosebazooka/aa-test"));
    JsonPath refused = get(impostor);
    assertEquals("untrusted", refused.getString("trust.class"), refused.prettify());
    assertFalse(refused.getBoolean("trust.provenance[0].trustedBuilder"));
    assertTrue(
        refused.getList("trust.reasons").stream()
            .anyMatch(
                r -> r.toString().endsWith("the statement claims a builder it was not signed by")),
        refused.prettify());

    String g = facility("trust-bcr");
    policy(g, bcrPolicy, 201);
    String honest = artifact(g, digest);
    as(Tokens.publisher(g))
        .body(Map.of("kind", "sigstore-bundle", "bundle", genuine))
        .post(honest + "/signatures")
        .then()
        .statusCode(201);
    as(Tokens.publisher(g)).body(genuine).post(honest + "/provenance").then().statusCode(201);
    JsonPath trusted = get(honest);
    assertEquals("trusted", trusted.getString("trust.class"), trusted.prettify());
    assertTrue(trusted.getBoolean("trust.provenance[0].trustedBuilder"));
  }

  /**
   * A message-signature bundle (a signature over the digest only) with statement fields added
   * beside it: the signature verifies, but it signs no statement, so it is refused as provenance
   * instead of passing as a signed one (found in review).
   */
  @Test
  void statementFieldsBesideAMessageSignatureAreNotSignedProvenance() throws Exception {
    String f = facility("trust-smuggle");
    String path = artifact(f, Signing.BUNDLE_DIGEST);
    Map<String, Object> signer =
        Map.of("identity", Signing.BUNDLE_IDENTITY, "issuer", Signing.BUNDLE_ISSUER);
    policy(
        f,
        Map.of(
            "signers",
            List.of(signer),
            "builders",
            List.of(
                Map.of(
                    "id",
                    "https://github.com/actions/runner/github-hosted",
                    "signers",
                    List.of(signer))),
            "requireProvenance",
            true),
        201);
    String publisher = Tokens.publisher(f);
    as(publisher)
        .body(Map.of("kind", "sigstore-bundle", "bundle", Signing.bundle("0.3")))
        .post(path + "/signatures")
        .then()
        .statusCode(201);
    ObjectMapper json = new ObjectMapper();
    ObjectNode smuggled = Signing.bundle("0.3");
    smuggled.put("_type", "https://in-toto.io/Statement/v1");
    smuggled.put("predicateType", "https://slsa.dev/provenance/v1");
    smuggled.set(
        "subject",
        json.readTree(
            "[{\"name\":\"x\",\"digest\":{\"sha256\":\""
                + Signing.BUNDLE_DIGEST.substring(7)
                + "\"}}]"));
    smuggled.set(
        "predicate",
        json.readTree(
            "{\"runDetails\":{\"builder\":{\"id\":\"https://github.com/actions/runner/github-hosted\"}}}"));
    long head = changeHead();
    as(publisher)
        .body(smuggled)
        .post(path + "/provenance")
        .then()
        .statusCode(400)
        .body("detail", containsString("signs a message, not a statement"));
    assertEquals(head, changeHead());
    assertEquals("untrusted", get(path).getString("trust.class"));
  }

  /**
   * sigstore-conformance's managed-key bundle (a key-signed signature logged in Rekor) attached
   * over HTTP with its key: it verifies, and a policy that names the key trusts the artifact.
   */
  @Test
  void aManagedKeyBundleIsAttachedWithItsKey() throws Exception {
    String f = facility("trust-managed");
    String path = artifact(f, Signing.BUNDLE_DIGEST);
    String dir = "/trust/sigstore-conformance/bundle-verify/managed-key-happy-path/";
    JsonNode bundle =
        new ObjectMapper().readTree(TrustTest.class.getResource(dir + "bundle.sigstore.json"));
    String key;
    try (InputStream in = TrustTest.class.getResourceAsStream(dir + "key.pub")) {
      key = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    policy(
        f, Map.of("publicKeys", List.of(Map.of("name", "conformance-key", "publicKey", key))), 201);
    String publisher = Tokens.publisher(f);
    as(publisher)
        .body(Map.of("kind", "sigstore-bundle", "bundle", bundle))
        .post(path + "/signatures")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("publicKey"));
    as(publisher)
        .body(
            Map.of(
                "kind",
                "sigstore-bundle",
                "bundle",
                bundle,
                "publicKey",
                new Signing().publicKeyPem()))
        .post(path + "/signatures")
        .then()
        .statusCode(422);
    as(publisher)
        .body(Map.of("kind", "sigstore-bundle", "bundle", bundle, "publicKey", key))
        .post(path + "/signatures")
        .then()
        .statusCode(201)
        .body("verified.identity", equalTo(SignatureVerifier.fingerprint(key)));
    JsonPath trusted = get(path);
    assertEquals("trusted", trusted.getString("trust.class"), trusted.prettify());
  }

  /** The README's example: the generic SLSA generator, bound to its own reusable workflow. */
  @Test
  void theGenericSlsaGeneratorCountsWhenSignedAsItsReusableWorkflow() throws Exception {
    String f = facility("trust-generator");
    String digest = "sha256:376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa";
    String generator =
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"
            + "generator_generic_slsa3.yml@refs/tags/v2.1.0";
    JsonNode bundle =
        fixture("slsa-github-generator-v2.1.0/binary-linux-amd64-workflow_dispatch.intoto.jsonl");
    Map<String, Object> bound = Map.of("identity", generator, "issuer", ACTIONS);
    policy(
        f,
        Map.of(
            "signers",
            List.of(bound),
            "builders",
            List.of(Map.of("id", generator, "signers", List.of(bound))),
            "requireProvenance",
            true),
        201);
    String path = artifact(f, digest);
    String publisher = Tokens.publisher(f);
    as(publisher)
        .body(Map.of("kind", "sigstore-bundle", "bundle", bundle))
        .post(path + "/signatures")
        .then()
        .statusCode(201);
    as(publisher).body(bundle).post(path + "/provenance").then().statusCode(201);
    JsonPath trusted = get(path);
    assertEquals("trusted", trusted.getString("trust.class"), trusted.prettify());
    assertEquals(
        "git+https://github.com/slsa-framework/example-package@refs/heads/main",
        trusted.getString("trust.provenance[0].sourceRepository"));
    // the same builder bound to another identity: the real statement no longer counts
    policy(
        f,
        Map.of(
            "signers",
            List.of(bound),
            "builders",
            List.of(
                Map.of(
                    "id",
                    generator,
                    "signers",
                    List.of(Map.of("identity", "https://example.org/other", "issuer", ACTIONS)))),
            "requireProvenance",
            true),
        200);
    assertEquals("untrusted", get(path).getString("trust.class"));
  }

  private static JsonNode fixture(String name) throws IOException {
    try (InputStream in = TrustTest.class.getResourceAsStream("/trust/fixtures/" + name)) {
      return new ObjectMapper().readTree(in);
    }
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
        .body(Map.of("builders", List.of(CI_BUILDER)))
        .put(url)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("builders[0].signers"));
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
    given().get(path + "/signatures").then().body("items", hasSize(0)).body("total", equalTo(0));
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
