package org.pancat.harvest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.anonymous;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.changeHead;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pancat.support.Api;
import org.pancat.support.OciRegistryFixture;
import org.pancat.support.Signing;
import org.pancat.support.Tokens;

/**
 * The OCI and CVMFS harvesters against a real Distribution registry filled by the test: labels to
 * software, a multi-arch index, a cosign key signature that makes the image trusted, idempotent and
 * incremental runs, a moved and a vanished tag, a signature that does not verify, restricted
 * images, a registry behind bearer-token auth, and who may see what.
 */
@QuarkusTest
class OciHarvestTest {
  static final String FACILITY = "hlab";
  private static final String ADMIN = Tokens.admin();
  private static final String PUBLISHER = Tokens.publisher(FACILITY);
  private static final String OTHER_PUBLISHER = Tokens.publisher("esrf");
  private static final Signing KEY = new Signing();

  private static OciRegistryFixture registry;
  private static OciRegistryFixture guarded;

  @BeforeEach
  void facilityAndRegistries() {
    if (registry == null) {
      registry = OciRegistryFixture.start();
      guarded = OciRegistryFixture.withTokenAuth("hlab-harvester", "s3cret-test-password");
      as(ADMIN).body(Map.of("name", "Harvest lab")).put("/api/v1/facilities/" + FACILITY);
      as(ADMIN)
          .body(
              Map.of(
                  "publicKeys",
                  List.of(Map.of("name", "hlab-ci", "publicKey", KEY.publicKeyPem()))))
          .put("/api/v1/facilities/" + FACILITY + "/trust-policy")
          .then()
          .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }
  }

  @AfterAll
  static void stopRegistries() {
    if (registry != null) {
      registry.close();
      guarded.close();
    }
  }

  /** A source document: facility hlab, kind oci, never scheduled; then these members over it. */
  private static Map<String, Object> sourceBody(Object... members) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("facility", FACILITY);
    body.put("kind", "oci");
    body.put("interval", "PT0S");
    for (int i = 0; i < members.length; i += 2) {
      body.put((String) members[i], members[i + 1]);
    }
    return body;
  }

  private static Map<String, String> labels(String slug, String version, String extra) {
    Map<String, String> labels = new HashMap<>();
    labels.put("org.opencontainers.image.title", "Azimuthal integrator " + slug);
    labels.put("org.opencontainers.image.description", "Integrates 2D SAXS images " + extra);
    labels.put("org.opencontainers.image.version", version);
    labels.put("org.opencontainers.image.licenses", "MIT");
    labels.put("org.opencontainers.image.source", "https://github.com/example/" + slug);
    labels.put("org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567");
    labels.put("org.opencontainers.image.created", "2026-11-30T10:00:00Z");
    labels.put("org.pancat.software", slug);
    labels.put("org.pancat.techniques", "SAXS");
    return labels;
  }

  /** A cosign key signature of {@code digest}, as {@code cosign sign --key} pushes it. */
  private static void sign(String repository, String reference, String digest) {
    Map<String, Object> signature = KEY.simpleSigning(reference, digest);
    registry.pushCosignSignature(
        repository,
        digest,
        Base64.getDecoder().decode((String) signature.get("payload")),
        (String) signature.get("signature"),
        Map.of());
  }

  private static String source(String id, Map<String, Object> oci) {
    return source(id, oci, Map.of("class", "open"));
  }

  private static String source(String id, Map<String, Object> oci, Map<String, Object> sharing) {
    as(PUBLISHER)
        .body(sourceBody("oci", oci, "sharing", sharing))
        .put("/api/v1/harvest/" + id)
        .then()
        .statusCode(201)
        .body("oci.registry", equalTo(oci.get("registry")));
    return id;
  }

  @Test
  void registryToTrustedDigestPinnedSoftware() {
    String slug = Api.uniqueSlug("azint");
    String repository = "pan/" + slug;
    String digest =
        registry.pushImage(repository, "1.0", labels(slug, "1.0", ""), "linux", "amd64");
    sign(repository, registry.host() + "/" + repository + ":1.0", digest);
    // the build's provenance, as cosign attest pushes it (sha256-<hex>.att)
    registry.pushCosignAttestation(
        repository,
        digest,
        Api.json(KEY.provenanceEnvelope(registry.host() + "/" + repository + ":1.0", digest)));
    String index =
        registry.pushMultiArch(
            repository, "2.0", labels(slug, "2.0", ""), List.of("linux/amd64", "linux/arm64/v8"));
    String id =
        source(
            "oci-" + slug.replace('.', '-'),
            Map.of("registry", registry.uri().toString(), "repositories", List.of(repository)));

    JsonPath first = HarvestRunner.runAndWait(PUBLISHER, id);
    assertEquals("succeeded", first.getString("state"), first.prettify());
    assertEquals(2, first.getInt("counts.added"), first.prettify());
    assertEquals(0, first.getInt("counts.refused"), first.prettify());
    assertEquals(2, first.getInt("progress.total"));

    String base = "/api/v1/software/" + FACILITY + "/" + slug;
    anonymous()
        .get(base)
        .then()
        .statusCode(200)
        .body("name", equalTo("Azimuthal integrator " + slug))
        .body("licence", equalTo("MIT"))
        .body("techniques[0]", containsString("PaNET"))
        .body("createdBy", equalTo("urn:pancat:harvest#source/" + id));
    JsonPath one =
        as(PUBLISHER).get(base + "/releases/1.0").then().statusCode(200).extract().jsonPath();
    assertEquals(digest, one.getString("artifacts[0].digest"));
    assertEquals(
        registry.host() + "/" + repository + ":1.0", one.getString("artifacts[0].reference"));
    assertEquals("trusted", one.getString("artifacts[0].trust.class"), one.prettify());
    assertEquals(
        "0123456789abcdef0123456789abcdef01234567",
        one.getString("artifacts[0].labels['org.opencontainers.image.revision']"));
    // the attestation from the .att tag, kept as a claim (its DSSE signature is not a bundle)
    JsonPath provenance =
        as(PUBLISHER)
            .get(
                base
                    + "/releases/1.0/artifacts/"
                    + one.getString("artifacts[0].id")
                    + "/provenance")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(
        "https://github.com/actions/runner/github-hosted",
        provenance.getString("items[0].builderId"),
        provenance.prettify());
    JsonPath two =
        as(PUBLISHER).get(base + "/releases/2.0").then().statusCode(200).extract().jsonPath();
    assertEquals(index, two.getString("artifacts[0].digest"));
    assertEquals(List.of("amd64", "arm64"), two.getList("artifacts[0].platforms.arch"));
    assertEquals("untrusted", two.getString("artifacts[0].trust.class"));

    // resolvable to the digest-pinned reference
    String resource = "k8s-" + slug.replace('.', '-');
    as(ADMIN)
        .body(
            Map.of(
                "facility", FACILITY,
                "architectures", List.of("x86_64"),
                "runtimes", List.of("docker"),
                "registries", List.of(registry.host())))
        .put("/api/v1/compute-resources/" + resource)
        .then()
        .statusCode(201);
    as(PUBLISHER)
        .body(Map.of("software", FACILITY + "/" + slug, "computeResource", resource))
        .post("/api/v1/resolve")
        .then()
        .statusCode(200)
        .body(
            "candidates.find { it.version == '1.0' }.pinnedReference",
            equalTo(registry.host() + "/" + repository + ":1.0@" + digest))
        .body("candidates.find { it.version == '1.0' }.verification.trust", equalTo("trusted"));

    // the same content again: nothing is written, each tag costs one request
    long head = changeHead();
    JsonPath second = HarvestRunner.runAndWait(PUBLISHER, id);
    assertEquals(0, second.getInt("counts.added"), second.prettify());
    assertEquals(2, second.getInt("counts.unchanged"), second.prettify());
    assertEquals(3, second.getInt("counts.requests"), "a tag list and one HEAD per tag");
    assertEquals(head, changeHead(), "a run without changes appends nothing");

    // a new tag appends exactly that release
    String added = registry.pushImage(repository, "2.1", labels(slug, "2.1", ""), "linux", "amd64");
    JsonPath third = HarvestRunner.runAndWait(PUBLISHER, id);
    assertEquals(1, third.getInt("counts.added"), third.prettify());
    assertEquals(2, third.getInt("counts.unchanged"));
    JsonPath changes = Api.changesAfter(head);
    for (Map<String, Object> change : changes.<Map<String, Object>>getList("items")) {
      assertEquals("2.1", change.get("version"), "only release 2.1 changed: " + changes.prettify());
    }
    assertEquals(
        added,
        as(PUBLISHER).get(base + "/releases/2.1").then().extract().path("artifacts[0].digest"));

    // a tag that moves is a new artifact beside the published one
    String moved =
        registry.pushImage(repository, "1.0", labels(slug, "1.0", "(rebuilt)"), "linux", "amd64");
    JsonPath fourth = HarvestRunner.runAndWait(PUBLISHER, id);
    assertEquals(1, fourth.getInt("counts.updated"), fourth.prettify());
    assertTrue(
        fourth.getString("items[0].reason").contains("moved from " + digest), fourth.prettify());
    JsonPath oneAgain = as(PUBLISHER).get(base + "/releases/1.0").then().extract().jsonPath();
    assertEquals(List.of(digest, moved), oneAgain.getList("artifacts.digest"), oneAgain.prettify());
    assertEquals(registry.host() + "/" + repository, oneAgain.getString("artifacts[1].reference"));
    assertEquals("1.0", oneAgain.getString("artifacts[1].labels['org.pancat.harvest.tag']"));

    // a tag that disappears is reported; its artifact stays (the source's policy is to report)
    registry.deleteManifest(repository, added);
    JsonPath fifth = HarvestRunner.runAndWait(PUBLISHER, id);
    assertEquals(1, fifth.getInt("counts.gone"), fifth.prettify());
    as(PUBLISHER)
        .get(base + "/releases/2.1")
        .then()
        .statusCode(200)
        .body("artifacts[0].withdrawn", org.hamcrest.Matchers.nullValue());
  }

  @Test
  void signatureThatDoesNotVerifyRefusesTheImage() {
    String slug = Api.uniqueSlug("forged");
    String repository = "pan/" + slug;
    String digest =
        registry.pushImage(repository, "1.0", labels(slug, "1.0", ""), "linux", "amd64");
    // signed over another image's digest: a valid signature, but not of this image
    Map<String, Object> other =
        KEY.simpleSigning(registry.host() + "/" + repository + ":1.0", Api.sha256('f'));
    registry.pushCosignSignature(
        repository,
        digest,
        Base64.getDecoder().decode((String) other.get("payload")),
        (String) other.get("signature"),
        Map.of());
    String id =
        source(
            "oci-" + slug.replace('.', '-'),
            Map.of("registry", registry.uri().toString(), "repositories", List.of(repository)));
    long head = changeHead();
    JsonPath run = HarvestRunner.runAndWait(PUBLISHER, id);
    assertEquals(1, run.getInt("counts.refused"), run.prettify());
    assertEquals(0, run.getInt("counts.added"));
    assertTrue(run.getString("items[0].reason").contains("does not verify"), run.prettify());
    assertEquals(head, changeHead(), "a refused image changes nothing");
    anonymous().get("/api/v1/software/" + FACILITY + "/" + slug).then().statusCode(404);
  }

  @Test
  void restrictedImagesLeakTheirReferenceNowhere() {
    String slug = Api.uniqueSlug("vendor");
    String repository = "restricted/" + slug;
    registry.pushImage(repository, "3.1", labels(slug, "3.1", ""), "linux", "amd64");
    String id =
        source(
            "oci-" + slug.replace('.', '-'),
            Map.of("registry", registry.uri().toString(), "repositories", List.of(repository)),
            Map.of(
                "class", "restricted", "conditions", Map.of("groups", List.of("hlab-licensees"))));
    JsonPath run = HarvestRunner.runAndWait(PUBLISHER, id);
    assertEquals(1, run.getInt("counts.added"), run.prettify());

    // an image whose label asks for restricted in an open source has nothing to restrict it by
    String openRepository = "open/" + slug;
    Map<String, String> restrictedLabel = labels(slug + "-open", "1.0", "");
    restrictedLabel.put("org.pancat.sharing", "restricted");
    registry.pushImage(openRepository, "1.0", restrictedLabel, "linux", "amd64");
    String open =
        source(
            "oci-open-" + slug.replace('.', '-'),
            Map.of("registry", registry.uri().toString(), "repositories", List.of(openRepository)));
    JsonPath refused = HarvestRunner.runAndWait(PUBLISHER, open);
    assertEquals(1, refused.getInt("counts.refused"), refused.prettify());
    assertTrue(refused.getString("items[0].reason").contains("no sharing conditions"));
    String base = "/api/v1/software/" + FACILITY + "/" + slug + "/releases/3.1";
    String anonymousView = anonymous().get(base).then().statusCode(200).extract().asString();
    assertFalse(anonymousView.contains(repository), anonymousView);
    String researcher = Tokens.user("carol-" + slug, "esrf", List.of());
    String researcherView = as(researcher).get(base).then().statusCode(200).extract().asString();
    assertFalse(researcherView.contains(repository), researcherView);
    // the harvest endpoints, which name the image, are the facility's own
    for (String token : List.of(researcher, OTHER_PUBLISHER)) {
      as(token).get("/api/v1/harvest/" + id + "/runs").then().statusCode(404);
      as(token).get("/api/v1/harvest/" + id).then().statusCode(404);
      as(token).post("/api/v1/harvest/" + id + "/run").then().statusCode(404);
      String list = as(token).get("/api/v1/harvest").then().statusCode(200).extract().asString();
      assertFalse(list.contains(repository), list);
    }
    anonymous().get("/api/v1/harvest/" + id + "/runs").then().statusCode(401);
    anonymous().get("/api/v1/harvest").then().statusCode(401);
    anonymous().post("/api/v1/harvest/" + id + "/run").then().statusCode(401);
    String runs =
        as(ADMIN)
            .get("/api/v1/harvest/" + id + "/runs")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertTrue(runs.contains("\"added\":1"), runs);
  }

  @Test
  void sourcesAreWrittenByTheirFacility() {
    Map<String, Object> body = sourceBody("oci", Map.of("registry", registry.uri().toString()));
    anonymous().body(body).put("/api/v1/harvest/hlab-any").then().statusCode(401);
    as(OTHER_PUBLISHER).body(body).put("/api/v1/harvest/hlab-any").then().statusCode(403);
    as(Tokens.user("dave", FACILITY, List.of()))
        .body(body)
        .put("/api/v1/harvest/hlab-any")
        .then()
        .statusCode(403);
    as(PUBLISHER).body(body).put("/api/v1/harvest/hlab-any").then().statusCode(201);
    as(PUBLISHER).body(body).put("/api/v1/harvest/hlab-any").then().statusCode(200);
    // bad settings: a 400 naming the field, nothing stored
    as(PUBLISHER)
        .body(
            Map.of(
                "facility",
                FACILITY,
                "kind",
                "apt",
                "oci",
                Map.of("registry", registry.uri().toString())))
        .put("/api/v1/harvest/hlab-bad")
        .then()
        .statusCode(400)
        .body("type", equalTo("/problems/validation-failed"));
    as(PUBLISHER)
        .body(sourceBody("oci", Map.of("registry", "ftp://x")))
        .put("/api/v1/harvest/hlab-bad")
        .then()
        .statusCode(400);
    as(PUBLISHER)
        .body(sourceBody("oci", Map.of("registry", registry.uri().toString(), "includeTags", "(")))
        .put("/api/v1/harvest/hlab-bad")
        .then()
        .statusCode(400);
    as(PUBLISHER)
        .body(
            sourceBody("credentials", "nope", "oci", Map.of("registry", registry.uri().toString())))
        .put("/api/v1/harvest/hlab-bad")
        .then()
        .statusCode(400);
    for (String interval : List.of("PT", "P9999999D", "PT30S", "PT99999999999999999999H")) {
      as(PUBLISHER)
          .body(
              sourceBody(
                  "interval", interval, "oci", Map.of("registry", registry.uri().toString())))
          .put("/api/v1/harvest/hlab-bad")
          .then()
          .statusCode(400);
    }
    // a host the operator did not allow (pancat.harvest.allowed-hosts), such as a cloud metadata
    // address: the node is not made to read it
    as(PUBLISHER)
        .body(sourceBody("oci", Map.of("registry", "http://169.254.169.254")))
        .put("/api/v1/harvest/hlab-bad")
        .then()
        .statusCode(400)
        .body("detail", containsString("allowed-hosts"));
    as(PUBLISHER).get("/api/v1/harvest/hlab-bad").then().statusCode(404);
    // another facility's source cannot be taken over by naming it
    as(OTHER_PUBLISHER)
        .body(
            Map.of(
                "facility",
                "esrf",
                "kind",
                "oci",
                "oci",
                Map.of("registry", registry.uri().toString())))
        .put("/api/v1/harvest/hlab-any")
        .then()
        .statusCode(403);
    as(OTHER_PUBLISHER).delete("/api/v1/harvest/hlab-any").then().statusCode(404);
    as(PUBLISHER).delete("/api/v1/harvest/hlab-any").then().statusCode(204);
    as(PUBLISHER).get("/api/v1/harvest/hlab-any").then().statusCode(404);
  }

  @Test
  void registryBehindBearerTokens() {
    String slug = Api.uniqueSlug("guarded");
    String repository = "pan/" + slug;
    String digest = guarded.pushImage(repository, "1.0", labels(slug, "1.0", ""), "linux", "amd64");
    String id = "oci-" + slug.replace('.', '-');
    as(PUBLISHER)
        .body(
            sourceBody(
                "credentials",
                "hlab-registry",
                "oci",
                Map.of("registry", guarded.uri().toString(), "repositories", List.of(repository))))
        .put("/api/v1/harvest/" + id)
        .then()
        .statusCode(201);
    JsonPath run = HarvestRunner.runAndWait(PUBLISHER, id);
    assertEquals(1, run.getInt("counts.added"), run.prettify());
    assertTrue(guarded.tokensIssued() > 0);
    assertEquals(
        digest,
        as(PUBLISHER)
            .get("/api/v1/software/" + FACILITY + "/" + slug + "/releases/1.0")
            .then()
            .extract()
            .path("artifacts[0].digest"));
    String report =
        as(PUBLISHER).get("/api/v1/harvest/" + id + "/runs").then().extract().asString();
    assertFalse(report.contains("s3cret-test-password"));

    // without the credentials the registry is refused, with the reason
    String anonymousSource = id + "-anon";
    as(PUBLISHER)
        .body(
            sourceBody(
                "oci",
                Map.of("registry", guarded.uri().toString(), "repositories", List.of(repository))))
        .put("/api/v1/harvest/" + anonymousSource)
        .then()
        .statusCode(201);
    JsonPath refused = HarvestRunner.runAndWait(PUBLISHER, anonymousSource);
    assertEquals(1, refused.getInt("counts.refused"), refused.prettify());
    assertNotNull(refused.getString("items[0].reason"));

    // the credentials go only to the hosts configured with them: the same registry named
    // otherwise (localhost) does not get them
    String otherName = id + "-other-name";
    as(PUBLISHER)
        .body(
            sourceBody(
                "credentials",
                "hlab-registry",
                "oci",
                Map.of(
                    "registry", guarded.uri().toString().replace("127.0.0.1", "localhost"),
                    "repositories", List.of(repository))))
        .put("/api/v1/harvest/" + otherName)
        .then()
        .statusCode(201);
    JsonPath elsewhere = HarvestRunner.runAndWait(PUBLISHER, otherName);
    assertEquals("refused", elsewhere.getString("state"), elsewhere.prettify());
    assertTrue(
        elsewhere.getString("reason").contains("may not be sent to localhost"),
        elsewhere.prettify());
  }

  @Test
  void cvmfsWishListBecomesUnpackedPathsDerivedFromTheirImages() {
    String slug = Api.uniqueSlug("unpacked");
    String repository = "cvmfs/" + slug;
    String v1 = registry.pushImage(repository, "v1.0", labels(slug, "1.0", ""), "linux", "amd64");
    sign(repository, "registry.example.org/" + repository + ":v1.0", v1);
    registry.pushImage(repository, "v1.1", labels(slug, "1.1", ""), "linux", "amd64");
    registry.pushImage(repository, "dev", labels(slug, "0.9", ""), "linux", "amd64");
    String recipe =
        "version: 1\nuser: cvmfsunpacker\ncvmfs_repo: 'unpacked.cern.ch'\n"
            + "output_format: 'https://gitlab-registry.cern.ch/unpacked/sync/$(image)'\ninput:\n"
            + "    - 'https://registry.example.org/"
            + repository
            + ":v1.*'\n"
            + "    - 'https://registry.example.org/"
            + repository
            + ":missing'\n";
    String id = "cvmfs-" + slug.replace('.', '-');
    as(PUBLISHER)
        .body(
            Map.of(
                "facility",
                FACILITY,
                "kind",
                "cvmfs",
                "interval",
                "PT0S",
                "cvmfs",
                Map.of(
                    "recipe",
                    recipe,
                    "registries",
                    Map.of("registry.example.org", registry.uri().toString()))))
        .put("/api/v1/harvest/" + id)
        .then()
        .statusCode(201);
    JsonPath run = HarvestRunner.runAndWait(PUBLISHER, id);
    assertEquals(2, run.getInt("counts.added"), run.prettify());
    assertEquals(1, run.getInt("counts.refused"), "the tag the registry does not have");
    JsonPath release =
        as(PUBLISHER)
            .get("/api/v1/software/" + FACILITY + "/" + slug + "/releases/1.0")
            .then()
            .extract()
            .jsonPath();
    Map<String, Object> image = release.getMap("artifacts.find { it.kind == 'oci-image' }");
    Map<String, Object> cvmfs = release.getMap("artifacts.find { it.kind == 'cvmfs' }");
    assertEquals("registry.example.org/" + repository + ":v1.0", image.get("reference"));
    assertEquals(
        "/cvmfs/unpacked.cern.ch/registry.example.org/" + repository + ":v1.0",
        cvmfs.get("reference"));
    assertEquals(v1, cvmfs.get("digest"));
    assertEquals(image.get("id"), cvmfs.get("derivedFrom"));
    assertEquals(
        "trusted",
        ((Map<?, ?>) cvmfs.get("trust")).get("class"),
        "the image's signature holds for its unpacked form");
    // resolve offers it where CVMFS is mounted
    String resource = "hpc-" + slug.replace('.', '-');
    as(ADMIN)
        .body(
            Map.of(
                "facility",
                FACILITY,
                "architectures",
                List.of("x86_64"),
                "runtimes",
                List.of("apptainer"),
                "cvmfsRepositories",
                List.of("unpacked.cern.ch")))
        .put("/api/v1/compute-resources/" + resource)
        .then()
        .statusCode(201);
    as(PUBLISHER)
        .body(Map.of("software", FACILITY + "/" + slug, "computeResource", resource))
        .post("/api/v1/resolve")
        .then()
        .statusCode(200)
        .body(
            "candidates.find { it.kind == 'cvmfs' }.pinnedReference",
            equalTo(cvmfs.get("reference")));
  }

  @Test
  void parallelRequestsStartOneRunAtATime() throws Exception {
    String slug = Api.uniqueSlug("parallel");
    String repository = "pan/" + slug;
    for (int i = 0; i < 5; i++) {
      registry.pushImage(repository, "1." + i, labels(slug, "1." + i, ""), "linux", "amd64");
    }
    String id = "oci-" + slug.replace('.', '-');
    Map<String, Object> body =
        sourceBody(
            "oci",
            Map.of("registry", registry.uri().toString(), "repositories", List.of(repository)));
    Map<Integer, Integer> puts =
        race(8, () -> as(PUBLISHER).body(body).put("/api/v1/harvest/" + id).statusCode());
    assertEquals(Map.of(201, 1, 200, 7), puts);
    Map<Integer, Integer> runs =
        race(8, () -> as(PUBLISHER).post("/api/v1/harvest/" + id + "/run").statusCode());
    assertTrue(runs.keySet().stream().allMatch(s -> s == 200 || s == 202), runs.toString());
    assertTrue(runs.getOrDefault(202, 0) >= 1, runs.toString());
    // every run ended, none overlapped another, and the images were added once
    long deadline = System.nanoTime() + 60_000_000_000L;
    List<Map<String, Object>> listed;
    do {
      Thread.sleep(100);
      listed =
          as(PUBLISHER)
              .get("/api/v1/harvest/" + id + "/runs?size=100")
              .then()
              .extract()
              .path("items");
    } while (listed.stream().anyMatch(r -> "running".equals(r.get("state")))
        && System.nanoTime() < deadline);
    assertEquals(runs.get(202).intValue(), listed.size(), listed.toString());
    int added = 0;
    for (int i = 0; i < listed.size(); i++) {
      Map<String, Object> run = listed.get(i);
      assertEquals("succeeded", run.get("state"), run.toString());
      added += (Integer) ((Map<?, ?>) run.get("counts")).get("added");
      if (i + 1 < listed.size()) {
        String earlierEnd = (String) listed.get(i + 1).get("finishedAt");
        assertTrue(((String) run.get("startedAt")).compareTo(earlierEnd) >= 0, listed.toString());
      }
    }
    assertEquals(5, added);
  }

  @Test
  void aSourceRunsByItselfOnItsInterval() throws Exception {
    String slug = Api.uniqueSlug("scheduled");
    String repository = "pan/" + slug;
    registry.pushImage(repository, "1.0", labels(slug, "1.0", ""), "linux", "amd64");
    String id = "oci-" + slug.replace('.', '-');
    as(PUBLISHER)
        .body(
            sourceBody(
                "interval",
                "PT1H",
                "oci",
                Map.of("registry", registry.uri().toString(), "repositories", List.of(repository))))
        .put("/api/v1/harvest/" + id)
        .then()
        .statusCode(201);
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonPath source;
    do {
      Thread.sleep(200);
      source =
          as(PUBLISHER).get("/api/v1/harvest/" + id).then().statusCode(200).extract().jsonPath();
    } while (!"succeeded".equals(source.getString("lastRun.state"))
        && System.nanoTime() < deadline);
    assertEquals("scheduled", source.getString("lastRun.trigger"), source.prettify());
    assertEquals(1, source.getInt("lastRun.counts.added"));
    assertTrue(source.getString("nextRunAt").compareTo(source.getString("lastRun.finishedAt")) > 0);
  }

  @Test
  void bundlesAreFoundThroughTheReferrersFallbackAndVerified() {
    String slug = Api.uniqueSlug("bundled");
    String repository = "pan/" + slug;
    String digest =
        registry.pushImage(repository, "1.0", labels(slug, "1.0", ""), "linux", "amd64");
    // a real Sigstore bundle (sigstore-java's test fixture), but over another artifact: found
    // through the sha256-<hex> referrers tag, verified by trust, and so refused
    registry.pushSigstoreBundle(
        repository, digest, Api.json(Signing.bundle("0.3")), "https://slsa.dev/provenance/v1");
    String id =
        source(
            "oci-" + slug.replace('.', '-'),
            Map.of("registry", registry.uri().toString(), "repositories", List.of(repository)));
    long head = changeHead();
    JsonPath run = HarvestRunner.runAndWait(PUBLISHER, id);
    assertEquals(1, run.getInt("counts.refused"), run.prettify());
    assertTrue(run.getString("items[0].reason").contains("Sigstore bundle"), run.prettify());
    assertEquals(head, changeHead());
  }

  private static Map<Integer, Integer> race(
      int parallel, java.util.concurrent.Callable<Integer> call) throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(parallel);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < parallel; i++) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return call.call();
                }));
      }
      start.countDown();
      Map<Integer, Integer> statuses = new java.util.TreeMap<>();
      for (java.util.concurrent.Future<Integer> answer : answers) {
        statuses.merge(answer.get(), 1, Integer::sum);
      }
      return statuses;
    } finally {
      pool.shutdown();
    }
  }
}
