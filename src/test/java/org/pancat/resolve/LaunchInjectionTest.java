package org.pancat.resolve;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pancat.support.Api.as;
import static org.pancat.support.Api.changeHead;
import static org.pancat.support.Api.sha256;
import static org.pancat.support.Api.uniqueSlug;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pancat.support.Tokens;

/**
 * Launch labels come from publishers (and peers), and a portal executes what resolve answers. The
 * answer is an argument vector: run without a shell, nothing a publisher wrote can become a second
 * command or an option of the runtime. Labels that cannot be data are refused at registration.
 */
@QuarkusTest
class LaunchInjectionTest {
  private static final String ADMIN = Tokens.admin();
  private static final String ESRF = Tokens.publisher("esrf");

  @TempDir Path dir;
  private String software;
  private String dockerHost;
  private String hpc;

  @BeforeEach
  void softwareAndResources() {
    String slug = uniqueSlug("inject");
    software = "esrf/" + slug;
    dockerHost = "docker-" + slug.replace('.', '-');
    hpc = "hpc-" + slug.replace('.', '-');
    as(ADMIN)
        .body(resource(List.of("docker")))
        .put("/api/v1/compute-resources/" + dockerHost)
        .then()
        .statusCode(201);
    as(ADMIN)
        .body(resource(List.of("apptainer")))
        .put("/api/v1/compute-resources/" + hpc)
        .then()
        .statusCode(201);
    as(ESRF)
        .body(Map.of("name", "Inject " + slug, "licence", "MIT"))
        .put("/api/v1/software/" + software)
        .then()
        .statusCode(201);
    as(ESRF).body(Map.of()).put(releaseUrl()).then().statusCode(201);
  }

  @Test
  void hostileLabelsAreRefusedAtRegistrationSayingWhichLabel() {
    Map<String, String> refused =
        Map.of(
            "pancat.launch.env.X --privileged -v /:/host", "1",
            "pancat.launch.env.1X", "1",
            "pancat.launch.env.FOO", "bar\n--privileged",
            "pancat.launch.ports", "8888; rm -rf /",
            "pancat.launch.entrypoint", "[\"ok\", 1]",
            "pancat.launch.command", "sh -c id",
            "org.opencontainers.image.title", "tab\there",
            "org.opencontainers.image.description", "looks \u202Eharmless",
            "org.opencontainers.image.vendor", "csi \u009B31m");
    long head = changeHead();
    for (Map.Entry<String, String> label : refused.entrySet()) {
      as(ESRF)
          .body(image('1', Map.of(label.getKey(), label.getValue())))
          .post(releaseUrl() + "/artifacts")
          .then()
          .statusCode(422)
          .contentType("application/problem+json")
          .body("type", equalTo("/problems/invalid-label"))
          .body("errors.field", hasItem("labels." + label.getKey()));
    }
    // a SIF location Apptainer would read as an option, or as another image source
    for (String sif : List.of("--bind=/:/host", "docker://docker.io/attacker/evil", "x.sif")) {
      as(ESRF)
          .body(
              Map.of(
                  "kind",
                  "sif",
                  "reference",
                  sif,
                  "digest",
                  sha256('3'),
                  "platforms",
                  List.of(Map.of("os", "linux", "arch", "amd64"))))
          .post(releaseUrl() + "/artifacts")
          .then()
          .statusCode(400)
          .body("errors[0].field", equalTo("reference"));
    }
    assertEquals(head, changeHead(), "nothing was stored");
  }

  @Test
  void argvRunWithoutAShellExecutesNothingButTheRuntime() throws Exception {
    Path canary = dir.resolve("pwned");
    Map<String, String> labels = new HashMap<>();
    labels.put("pancat.launch.env.FOO", "bar; touch " + canary + " | sh");
    labels.put("pancat.launch.env.QUOTE", "it's $(touch " + canary + ") `touch " + canary + "`");
    labels.put("pancat.launch.entrypoint", "[\"--privileged\", \"$(touch " + canary + ")\"]");
    labels.put("pancat.launch.ports", "8888");
    as(ESRF).body(image('2', labels)).post(releaseUrl() + "/artifacts").then().statusCode(201);

    Map<String, Object> docker = onlyCandidate(dockerHost);
    List<String> argv = argvOf(docker);
    String pinned = (String) docker.get("pinnedReference");
    assertEquals(
        List.of(
            "docker",
            "run",
            "--rm",
            "-p",
            "8888:8888",
            "-e",
            "FOO=bar; touch " + canary + " | sh",
            "-e",
            "QUOTE=it's $(touch " + canary + ") `touch " + canary + "`",
            pinned,
            "--privileged",
            "$(touch " + canary + ")"),
        argv);
    assertEquals(argv.subList(1, argv.size()), runAsRuntime(argv, Map.of()));
    assertEquals(
        argv.subList(1, argv.size()),
        runDisplayInShell("docker", (String) launchOf(docker).get("display")));

    Map<String, Object> apptainer = onlyCandidate(hpc);
    List<String> hpcArgv = argvOf(apptainer);
    assertEquals(
        List.of(
            "apptainer", "run", "docker://" + pinned, "--privileged", "$(touch " + canary + ")"),
        hpcArgv);
    @SuppressWarnings("unchecked")
    Map<String, String> runtimeEnv = (Map<String, String>) launchOf(apptainer).get("runtimeEnv");
    assertEquals("bar; touch " + canary + " | sh", runtimeEnv.get("APPTAINERENV_FOO"));
    assertEquals(hpcArgv.subList(1, hpcArgv.size()), runAsRuntime(hpcArgv, runtimeEnv));
    assertEquals(
        hpcArgv.subList(1, hpcArgv.size()),
        runDisplayInShell("apptainer", (String) launchOf(apptainer).get("display")));
    assertFalse(Files.exists(canary), "no publisher text was ever run as a command");
  }

  /** Executes argv as a portal would (no shell), with argv[0] a runtime that records its args. */
  private List<String> runAsRuntime(List<String> argv, Map<String, String> env)
      throws IOException, InterruptedException {
    Path record = dir.resolve("args-" + argv.get(0));
    Path runtime = recorder(argv.get(0), record);
    List<String> command = new ArrayList<>(argv);
    command.set(0, runtime.toString());
    ProcessBuilder process = new ProcessBuilder(command).redirectErrorStream(true);
    process.environment().putAll(env);
    assertEquals(0, process.start().waitFor(), "the runtime ran");
    return recorded(record);
  }

  /** The display form is for people, but it must read back as the same words in a POSIX shell. */
  private List<String> runDisplayInShell(String runtimeName, String display)
      throws IOException, InterruptedException {
    Path record = dir.resolve("shell-" + runtimeName);
    Path runtime = recorder(runtimeName, record);
    Process sh =
        new ProcessBuilder(
                "sh", "-c", runtimeName + "() { \"" + runtime + "\" \"$@\"; }; " + display)
            .redirectErrorStream(true)
            .start();
    assertTrue(sh.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, sh.exitValue(), new String(sh.getInputStream().readAllBytes()));
    return recorded(record);
  }

  private Path recorder(String name, Path record) throws IOException {
    Path script = dir.resolve("fake-" + name);
    Files.writeString(script, "#!/bin/sh\nprintf '%s\\0' \"$@\" > \"" + record + "\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private static List<String> recorded(Path record) throws IOException {
    String all = Files.readString(record, StandardCharsets.UTF_8);
    return all.isEmpty() ? List.of() : List.of(all.substring(0, all.length() - 1).split("\0", -1));
  }

  private Map<String, Object> onlyCandidate(String resource) {
    JsonPath r =
        as(ESRF)
            .body(Map.of("software", software, "computeResource", resource))
            .post("/api/v1/resolve")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(1, r.getList("candidates").size(), r.prettify());
    return r.getMap("candidates[0]");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> launchOf(Map<String, Object> candidate) {
    return (Map<String, Object>) candidate.get("launch");
  }

  @SuppressWarnings("unchecked")
  private static List<String> argvOf(Map<String, Object> candidate) {
    return (List<String>) launchOf(candidate).get("argv");
  }

  private String releaseUrl() {
    return "/api/v1/software/" + software + "/releases/1.0";
  }

  private static Map<String, Object> image(char digest, Map<String, String> labels) {
    return Map.of(
        "kind",
        "oci-image",
        "reference",
        "registry.esrf.fr/pan/inject:1.0-" + digest,
        "digest",
        sha256(digest),
        "platforms",
        List.of(Map.of("os", "linux", "arch", "amd64")),
        "labels",
        labels);
  }

  private static Map<String, Object> resource(List<String> runtimes) {
    return Map.of("facility", "esrf", "architectures", List.of("amd64"), "runtimes", runtimes);
  }
}
