package org.pancat.resolve;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.anonymous;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.sha256;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pancat.support.Signing;
import org.pancat.support.Tokens;

/** Launch resolution on three kinds of compute resource, with every rejection rule. */
@QuarkusTest
class ResolveTest {
  private static final String ADMIN = Tokens.admin();
  private static final String ESRF = Tokens.publisher("esrf");

  private String slug;
  private String software;
  private String gpu;
  private String arm;
  private String k8s;
  private final Map<String, String> ids = new HashMap<>();
  private String licence;

  @BeforeEach
  void catalogueAndResources() {
    slug = uniqueSlug("azint");
    software = "esrf/" + slug;
    gpu = "gpu-" + slug.replace('.', '-');
    arm = "arm-" + slug.replace('.', '-');
    k8s = "k8s-" + slug.replace('.', '-');
    as(ADMIN)
        .body(
            resource(
                "esrf",
                List.of("x86_64"),
                List.of(Map.of("vendor", "NVIDIA GPU", "model", "A100", "cudaDriver", "12.4")),
                List.of("Singularity"),
                List.of("unpacked.cern.ch"),
                List.of()))
        .put("/api/v1/compute-resources/" + gpu)
        .then()
        .statusCode(201)
        .body("resource.runtimes", equalTo(List.of("apptainer")))
        .body("resource.architectures", equalTo(List.of("amd64")));
    as(ADMIN)
        .body(
            resource(
                "desy",
                List.of("aarch64"),
                List.of(),
                List.of("podman", "apptainer"),
                List.of(),
                List.of()))
        .put("/api/v1/compute-resources/" + arm)
        .then()
        .statusCode(201);
    as(ESRF)
        .body(
            resource(
                "esrf",
                List.of("amd64"),
                List.of(),
                List.of("kubernetes"),
                List.of(),
                List.of("registry.esrf.fr")))
        .put("/api/v1/compute-resources/" + k8s)
        .then()
        .statusCode(201);

    licence = "LicenseRef-Resolve-" + slug;
    as(ADMIN)
        .body(Map.of("title", "Resolve EULA", "version", "1", "text", "terms"))
        .put("/api/v1/licences/" + licence)
        .then()
        .statusCode(201);
    String base = "/api/v1/software/" + software;
    as(ESRF)
        .body(Map.of("name", "Azint " + slug, "licence", "MIT", "techniques", List.of("SAXS")))
        .put(base)
        .then()
        .statusCode(201);
    as(ESRF)
        .body(Map.of("releaseDate", "2024-01-01"))
        .put(base + "/releases/1.0")
        .then()
        .statusCode(201);
    as(ESRF)
        .body(Map.of("releaseDate", "2025-01-01"))
        .put(base + "/releases/2.0")
        .then()
        .statusCode(201);
    artifact(
        "gpu-image",
        "2.0",
        oci(
            "registry.esrf.fr/pan/" + slug + "-gpu:2.0",
            'a',
            "amd64",
            Map.of("gpuVendor", "nvidia", "cudaMin", "12.0"),
            List.of("docker")));
    artifact(
        "sif",
        "2.0",
        Map.of(
            "kind",
            "sif",
            "reference",
            "https://sif.esrf.fr/" + slug + "-2.0.sif",
            "digest",
            sha256('b'),
            "platforms",
            List.of(Map.of("os", "linux", "arch", "amd64"))));
    artifact(
        "arm-image",
        "2.0",
        oci("registry.esrf.fr/pan/" + slug + "-arm:2.0", 'c', "arm64", null, List.of()));
    artifact(
        "cuda13",
        "2.0",
        oci(
            "registry.esrf.fr/pan/" + slug + "-cuda13:2.0",
            'd',
            "amd64",
            Map.of("gpuVendor", "nvidia", "cudaMin", "13.0"),
            List.of()));
    artifact(
        "undigested",
        "1.0",
        Map.of("kind", "oci-image", "reference", "registry.esrf.fr/pan/" + slug + ":1.0"));
    Map<String, Object> licensed =
        new HashMap<>(
            oci("registry.esrf.fr/licensed/" + slug + ":2.0", 'e', "amd64", null, List.of()));
    licensed.put(
        "sharing",
        Map.of("class", "restricted", "conditions", Map.of("licence", Map.of("id", licence))));
    artifact("licensed", "2.0", licensed);
    Map<String, Object> internal =
        new HashMap<>(
            oci("registry.esrf.fr/internal/" + slug + ":2.0", 'f', "arm64", null, List.of()));
    internal.put("sharing", Map.of("class", "non-shareable"));
    artifact("internal", "2.0", internal);
    artifact(
        "deb", "2.0", Map.of("kind", "deb", "reference", "python3-" + slug, "digest", sha256('9')));
    artifact(
        "cvmfs",
        "2.0",
        Map.of(
            "kind",
            "cvmfs",
            "reference",
            "/cvmfs/unpacked.cern.ch/registry.esrf.fr/pan/" + slug + ":2.0",
            "digest",
            sha256('8')));
    Map<String, Object> notebook =
        new HashMap<>(
            oci("registry.esrf.fr/pan/" + slug + "-notebook:2.0", '7', "amd64", null, List.of()));
    notebook.put(
        "labels",
        Map.of("pancat.launch.ports", "8888", "pancat.launch.env.JUPYTER_ENABLE_LAB", "yes"));
    artifact("notebook", "2.0", notebook);
  }

  @Test
  void gpuClusterWithApptainerOnly() {
    JsonPath r =
        resolve(
            Tokens.user("gpu-" + slug, "esrf", List.of()),
            Map.of("software", software, "computeResource", gpu));
    List<String> chosen = r.getList("candidates.artifact");
    // a SIF and an unpacked CVMFS image run natively under Apptainer: ranked above the OCI image
    assertEquals(
        Set.of(ids.get("sif"), ids.get("cvmfs")), Set.copyOf(chosen.subList(0, 2)), r.prettify());
    assertTrue(
        chosen.indexOf(ids.get("gpu-image")) > 1, "an OCI image under Apptainer ranks lower");
    assertTrue(chosen.contains(ids.get("gpu-image")));
    assertTrue(chosen.contains(ids.get("cvmfs")));
    Map<String, Object> gpuImage = candidate(r, "gpu-image");
    assertEquals(
        "registry.esrf.fr/pan/" + slug + "-gpu:2.0@" + sha256('a'),
        gpuImage.get("pinnedReference"));
    assertEquals("apptainer", gpuImage.get("runtime"));
    assertEquals(
        List.of("apptainer", "run", "docker://" + gpuImage.get("pinnedReference")),
        ((Map<?, ?>) gpuImage.get("launch")).get("argv"));
    assertTrue(
        ((Map<?, ?>) gpuImage.get("launch"))
            .get("display")
            .toString()
            .startsWith("apptainer run docker://registry.esrf.fr/pan/"));
    assertTrue(
        rejection(r, "cuda13").contains("CUDA too old: needs 13.0, resource driver supports 12.4"));
    assertTrue(rejection(r, "arm-image").get(0).startsWith("wrong architecture"));
    assertTrue(rejection(r, "undigested").contains("no digest: the reference cannot be pinned"));
    assertTrue(rejection(r, "deb").get(0).contains("not launchable"));
    assertTrue(
        String.join(" ", rejection(r, "licensed")).contains("acceptance of licence " + licence));
    assertEquals(
        "/api/v1/licences/" + licence + "/acceptances",
        r.getString(
            "rejected.find { it.artifact == '" + ids.get("licensed") + "' }.how.acceptLicence"));
    assertFalse(
        r.prettify().contains("registry.esrf.fr/licensed/"),
        "a rejected restricted artifact never shows its reference");
    assertTrue(
        r.getString(
                "candidates.find { it.artifact == '"
                    + ids.get("sif")
                    + "' }.verification.signatures")
            .endsWith("/artifacts/" + ids.get("sif") + "/signatures"));
    assertTrue(r.getList("candidates[2].why").toString().contains("runs under apptainer"));
    assertTrue(r.getList("candidates[0].why").toString().contains("native runtime apptainer"));
  }

  @Test
  void aarch64WithoutGpu() {
    JsonPath r = resolve(ESRF, Map.of("software", software, "computeResource", arm));
    assertEquals(ids.get("arm-image"), r.getString("candidates[0].artifact"));
    assertEquals("podman", r.getString("candidates[0].runtime"));
    assertEquals(
        List.of("podman", "run", "--rm", r.getString("candidates[0].pinnedReference")),
        r.getList("candidates[0].launch.argv"));
    assertTrue(
        r.getString("candidates[0].launch.display")
            .startsWith("podman run --rm registry.esrf.fr/pan/"));
    assertTrue(
        rejection(r, "gpu-image").stream().anyMatch(s -> s.startsWith("needs a nvidia GPU")));
    assertTrue(
        rejection(r, "cvmfs")
            .contains("CVMFS repository unpacked.cern.ch is not mounted on the resource"));
    assertTrue(
        String.join(" ", rejection(r, "internal"))
            .contains("runs only on compute resources of esrf, not of desy"));
  }

  @Test
  void kubernetesJupyterHubWithDockerImages() {
    JsonPath r = resolve(ESRF, Map.of("software", software, "computeResource", k8s));
    Map<String, Object> notebook = candidate(r, "notebook");
    assertEquals("kubernetes", notebook.get("runtime"));
    assertEquals(List.of(8888), ((Map<?, ?>) notebook.get("launch")).get("ports"));
    assertTrue(rejection(r, "sif").get(0).startsWith("no runtime"));
    // a user of another facility: only open artifacts, and of those only the one Kubernetes runs
    JsonPath menu =
        as(Tokens.user("hub-" + slug, "desy", List.of()))
            .queryParam("size", 100)
            .get("/api/v1/compute-resources/" + k8s + "/launchable")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<Map<String, Object>> profiles = menu.getList("profiles");
    Map<String, Object> ours =
        profiles.stream()
            .filter(p -> ((Map<?, ?>) p.get("pancat")).get("software").equals(software))
            .findFirst()
            .orElseThrow();
    assertEquals(
        Map.of("image", "registry.esrf.fr/pan/" + slug + "-notebook:2.0@" + sha256('7')),
        ours.get("kubespawner_override"));
  }

  @Test
  void licenceFlowAndNonShareableHomeRules() {
    String carol = Tokens.user("carol-" + slug, "esrf", List.of());
    JsonPath before = resolve(carol, Map.of("software", software, "computeResource", gpu));
    assertFalse(before.getList("candidates.artifact").contains(ids.get("licensed")));
    as(carol).post("/api/v1/licences/" + licence + "/acceptances").then().statusCode(201);
    JsonPath after = resolve(carol, Map.of("software", software, "computeResource", gpu));
    assertTrue(after.getList("candidates.artifact").contains(ids.get("licensed")));
    assertEquals(
        "registry.esrf.fr/licensed/" + slug + ":2.0@" + sha256('e'),
        candidate(after, "licensed").get("pinnedReference"));

    // non-shareable: a home user on a home resource only
    Map<String, Object> armAtEsrf =
        Map.of(
            "facility", "esrf", "architectures", List.of("arm64"), "runtimes", List.of("podman"));
    assertTrue(
        resolve(carol, Map.of("software", software, "capabilities", armAtEsrf))
            .getList("candidates.artifact")
            .contains(ids.get("internal")));
    String dave = Tokens.user("dave-" + slug, "desy", List.of());
    JsonPath other = resolve(dave, Map.of("software", software, "capabilities", armAtEsrf));
    assertTrue(String.join(" ", rejection(other, "internal")).contains("non-shareable"));
    assertFalse(other.prettify().contains("registry.esrf.fr/internal/"));
  }

  @Test
  void trustedOnlyAndConstraints() {
    JsonPath trusted = resolveTrustedOnly(ESRF);
    assertEquals(List.of(), trusted.getList("candidates"));
    assertTrue(
        rejection(trusted, "sif").contains("untrusted artifacts are excluded (trustedOnly)"));
    JsonPath ociOnly =
        resolve(
            ESRF,
            Map.of(
                "software",
                software,
                "computeResource",
                gpu,
                "constraints",
                Map.of("kinds", List.of("oci-image"))));
    assertFalse(ociOnly.getList("candidates.artifact").contains(ids.get("sif")));
  }

  @Test
  void aTrustedArtifactRanksFirstAndIsTheOnlyOneTrustedOnlyAccepts() {
    String user = Tokens.user("trusted-" + slug, "esrf", List.of());
    // resolved once before (so candidates are cached), the later signature must still show
    assertEquals(List.of(), resolveTrustedOnly(user).getList("candidates"));
    // esrf trusts one release key; it signs the CVMFS image only
    Signing releaseKey = new Signing();
    as(ADMIN)
        .body(
            Map.of(
                "publicKeys",
                List.of(Map.of("name", "esrf-release", "publicKey", releaseKey.publicKeyPem()))))
        .put("/api/v1/facilities/esrf/trust-policy")
        .then()
        .statusCode(anyOf(equalTo(200), equalTo(201)));
    as(ESRF)
        .body(releaseKey.keySignature(sha256('8')))
        .post(
            "/api/v1/software/"
                + software
                + "/releases/2.0/artifacts/"
                + ids.get("cvmfs")
                + "/signatures")
        .then()
        .statusCode(201);
    JsonPath ranked = resolve(user, Map.of("software", software, "computeResource", gpu));
    assertEquals(ids.get("cvmfs"), ranked.getString("candidates[0].artifact"), ranked.prettify());
    assertTrue(ranked.getList("candidates[0].why").contains("trusted under esrf's trust policy"));
    JsonPath trustedOnly = resolveTrustedOnly(user);
    assertEquals(List.of(ids.get("cvmfs")), trustedOnly.getList("candidates.artifact"));
    assertTrue(
        rejection(trustedOnly, "sif").contains("untrusted artifacts are excluded (trustedOnly)"));
  }

  /** A caller who may not have a reference learns nothing of it from the reasons either. */
  @Test
  void rejectionsNameNoPartOfAReferenceTheCallerMayNotHave() {
    Map<String, Object> elsewhere =
        resource(
            "esrf",
            List.of("amd64"),
            List.of(),
            List.of("docker"),
            List.of(),
            List.of("docker.io"));
    JsonPath anonymousView = resolve(null, Map.of("software", software, "capabilities", elsewhere));
    List<String> licensed = rejection(anonymousView, "licensed");
    assertTrue(
        licensed.contains("the image's registry is not reachable from the resource"),
        licensed.toString());
    assertFalse(anonymousView.prettify().contains("registry.esrf.fr/licensed"));
    assertFalse(String.join(" ", licensed).contains("registry.esrf.fr"), licensed.toString());
    // the publisher may have it, and is told which registry
    JsonPath publisherView = resolve(ESRF, Map.of("software", software, "capabilities", elsewhere));
    assertTrue(
        rejection(publisherView, "licensed")
            .contains("registry registry.esrf.fr is not reachable from the resource"));
  }

  @Test
  void byTechniqueAndDeterministic() {
    Map<String, Object> request =
        Map.of("technique", "small angle x-ray scattering", "computeResource", gpu, "limit", 50);
    String first =
        as(ESRF).body(request).post("/api/v1/resolve").then().statusCode(200).extract().asString();
    String second =
        as(ESRF).body(request).post("/api/v1/resolve").then().statusCode(200).extract().asString();
    assertEquals(first, second, "same request, same catalogue: same answer");
    assertTrue(first.contains(ids.get("sif")));
    assertTrue(
        first.contains("is not launchable (only oci-image, sif, cvmfs)"),
        "other SAXS software is considered too, its deb artifacts rejected as not launchable");
  }

  @Test
  void badInputIsRefused() {
    as(ESRF)
        .body(Map.of("software", software, "computeResource", "no-such-resource"))
        .post("/api/v1/resolve")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    as(ESRF)
        .body(Map.of("technique", "telepathy", "computeResource", gpu))
        .post("/api/v1/resolve")
        .then()
        .statusCode(400)
        .body("detail", containsString("telepathy"));
    as(ESRF)
        .body(Map.of("software", software, "q", "x", "computeResource", gpu))
        .post("/api/v1/resolve")
        .then()
        .statusCode(400);
    as(ESRF).body(Map.of("software", software)).post("/api/v1/resolve").then().statusCode(400);
    as(ESRF)
        .body(
            Map.of(
                "software",
                software,
                "computeResource",
                gpu,
                "capabilities",
                Map.of(
                    "facility",
                    "esrf",
                    "architectures",
                    List.of("amd64"),
                    "runtimes",
                    List.of("docker"))))
        .post("/api/v1/resolve")
        .then()
        .statusCode(400);
    resolveOnGpu(Map.of("runtimes", List.of("docker")))
        .statusCode(400)
        .body("detail", containsString("none of [docker] is available"));
    resolveOnGpu(Map.of("kinds", List.of("deb"))).statusCode(400);
    as(ESRF)
        .body(Map.of("software", "esrf/no-such-software", "computeResource", gpu))
        .post("/api/v1/resolve")
        .then()
        .statusCode(404);
    as(ADMIN)
        .body(resource("esrf", List.of("z80"), List.of(), List.of("docker"), List.of(), List.of()))
        .put("/api/v1/compute-resources/bad-" + gpu)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("architectures[0]"));
  }

  @Test
  void computeResourcesAreWrittenByTheirFacility() {
    Map<String, Object> doc =
        resource("esrf", List.of("amd64"), List.of(), List.of("docker"), List.of(), List.of());
    as(Tokens.publisher("desy"))
        .body(doc)
        .put("/api/v1/compute-resources/x-" + gpu)
        .then()
        .statusCode(403);
    anonymous().body(doc).put("/api/v1/compute-resources/x-" + gpu).then().statusCode(401);
    as(ESRF).body(doc).put("/api/v1/compute-resources/x-" + gpu).then().statusCode(201);
    as(ESRF).body(doc).put("/api/v1/compute-resources/x-" + gpu).then().statusCode(200);
    as(Tokens.publisher("desy"))
        .body(
            resource("desy", List.of("amd64"), List.of(), List.of("docker"), List.of(), List.of()))
        .put("/api/v1/compute-resources/x-" + gpu)
        .then()
        .statusCode(403);
    given()
        .get("/api/v1/compute-resources/" + gpu)
        .then()
        .statusCode(200)
        .body("resource.gpus[0].vendor", equalTo("nvidia"));
    given().get("/api/v1/compute-resources/nope-" + gpu).then().statusCode(404);
  }

  private void artifact(String name, String version, Map<String, Object> body) {
    String id =
        as(ESRF)
            .body(body)
            .post("/api/v1/software/" + software + "/releases/" + version + "/artifacts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    ids.put(name, id);
  }

  private static Map<String, Object> oci(
      String reference,
      char digest,
      String arch,
      Map<String, Object> requirements,
      List<String> runtimes) {
    Map<String, Object> m = new HashMap<>();
    m.put("kind", "oci-image");
    m.put("reference", reference);
    m.put("digest", sha256(digest));
    m.put("platforms", List.of(Map.of("os", "linux", "arch", arch)));
    m.put("runtimes", runtimes);
    if (requirements != null) {
      m.put("requirements", requirements);
    }
    return m;
  }

  private static Map<String, Object> resource(
      String facility,
      List<String> arches,
      List<Map<String, Object>> gpus,
      List<String> runtimes,
      List<String> cvmfs,
      List<String> registries) {
    return Map.of(
        "facility",
        facility,
        "architectures",
        arches,
        "gpus",
        gpus,
        "runtimes",
        runtimes,
        "cvmfsRepositories",
        cvmfs,
        "registries",
        registries);
  }

  /** The test software on the GPU cluster under {@code constraints}, as the esrf publisher. */
  private ValidatableResponse resolveOnGpu(Map<String, Object> constraints) {
    return as(ESRF)
        .body(Map.of("software", software, "computeResource", gpu, "constraints", constraints))
        .post("/api/v1/resolve")
        .then();
  }

  /** The test software on the GPU cluster, trusted artifacts only. */
  private JsonPath resolveTrustedOnly(String token) {
    return resolve(
        token,
        Map.of(
            "software",
            software,
            "computeResource",
            gpu,
            "constraints",
            Map.of("trustedOnly", true)));
  }

  /** Resolves as {@code token}'s caller, or anonymously when it is null. */
  private static JsonPath resolve(String token, Map<String, Object> request) {
    return (token == null ? anonymous() : as(token))
        .body(request)
        .post("/api/v1/resolve")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private Map<String, Object> candidate(JsonPath r, String name) {
    return r.getMap("candidates.find { it.artifact == '" + ids.get(name) + "' }");
  }

  private List<String> rejection(JsonPath r, String name) {
    List<String> reasons =
        r.getList("rejected.find { it.artifact == '" + ids.get(name) + "' }.reasons");
    assertTrue(reasons != null, name + " was not rejected: " + r.prettify());
    return reasons;
  }
}
