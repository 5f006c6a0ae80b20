package org.pancat.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sigstore-conformance {@code bundle-verify} cases (see {@code
 * src/test/resources/trust/sigstore-conformance/README.md}), run offline as the conformance harness
 * runs a client: each case directory found, in both of the harness's modes (the artifact's bytes,
 * and its sha256 digest), must verify exactly when its name does not end in {@code _fail}.
 */
class SigstoreConformanceTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String DEFAULT_IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/"
          + "workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  private static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

  /**
   * Cases whose outcome here differs from the one their name asks for, each with the reason. A
   * listed case must still disagree (so fixing one forces its removal from here).
   */
  private static final Map<String, String> KNOWN_DISAGREEMENTS = Map.of();

  /** The production root the harness would fetch by TUF: the public-good root the node ships. */
  private static final SignatureVerifier PRODUCTION =
      new SignatureVerifier(SignatureVerifier.trustedRoot(null), MAPPER, Clock.systemUTC());

  private static final Map<String, Boolean> AGREED = new ConcurrentHashMap<>();

  enum Mode {
    /** {@code verify-bundle … FILE}: the artifact's bytes. */
    PATH,
    /** {@code verify-bundle … sha256:<hex>}: only the artifact's sha256 digest. */
    DIGEST
  }

  static Path casesDirectory() {
    try {
      return Path.of(
          SigstoreConformanceTest.class
              .getResource("/trust/sigstore-conformance/bundle-verify")
              .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> cases() throws IOException {
    List<Path> directories;
    try (Stream<Path> listed = Files.list(casesDirectory())) {
      directories = listed.filter(Files::isDirectory).sorted().toList();
    }
    return directories.stream()
        .flatMap(
            dir ->
                Stream.of(Mode.values())
                    .map(mode -> Arguments.of(dir.getFileName().toString(), mode)));
  }

  @BeforeAll
  static void reset() {
    AGREED.clear();
  }

  @ParameterizedTest(name = "{0} [{1}]")
  @MethodSource("cases")
  void verifiesAsTheCaseNameSays(String name, Mode mode) throws IOException {
    Path dir = casesDirectory().resolve(name);
    boolean shouldVerify = !name.endsWith("_fail");
    Outcome outcome = run(dir, mode);
    boolean agrees = outcome.verified() == shouldVerify;
    AGREED.merge(name, agrees, Boolean::logicalAnd);
    System.out.printf(
        "conformance %-60s %-6s %s: %s%n",
        name, mode, agrees ? "agrees" : "DISAGREES", outcome.detail());
    String known = KNOWN_DISAGREEMENTS.get(name);
    if (known == null) {
      assertTrue(
          agrees, name + " should " + (shouldVerify ? "" : "not ") + "verify: " + outcome.detail());
    } else {
      assertFalse(agrees, name + " now agrees: remove it from KNOWN_DISAGREEMENTS (" + known + ")");
    }
  }

  @Test
  void knownDisagreementsNameRealCases() throws IOException {
    Set<String> names;
    try (Stream<Path> listed = Files.list(casesDirectory())) {
      names =
          listed
              .filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .collect(Collectors.toSet());
    }
    assertEquals(70, names.size(), "the copied bundle-verify cases");
    assertTrue(names.containsAll(KNOWN_DISAGREEMENTS.keySet()), KNOWN_DISAGREEMENTS.toString());
  }

  @AfterAll
  static void printCount() {
    long agreeing = AGREED.values().stream().filter(Boolean::booleanValue).count();
    System.out.println(
        "sigstore-conformance bundle-verify: "
            + agreeing
            + " of "
            + AGREED.size()
            + " cases agree in both modes (known disagreements: "
            + KNOWN_DISAGREEMENTS.size()
            + ")");
  }

  private record Outcome(boolean verified, String detail) {}

  /** One harness invocation: {@code verify-bundle --bundle … [--key|identity] [--trusted-root]}. */
  private static Outcome run(Path dir, Mode mode) throws IOException {
    Path casesDir = dir.getParent();
    byte[] artifact =
        Files.readAllBytes(
            Files.exists(dir.resolve("artifact"))
                ? dir.resolve("artifact")
                : casesDir.resolve("a.txt"));
    String key = read(dir.resolve("key.pub"));
    String identity = orElse(read(dir.resolve("identity")), DEFAULT_IDENTITY);
    String issuer = orElse(read(dir.resolve("issuer")), DEFAULT_ISSUER);
    String bundle = Files.readString(dir.resolve("bundle.sigstore.json"), StandardCharsets.UTF_8);

    SignatureVerifier verifier = PRODUCTION;
    Path root = dir.resolve("trusted_root.json");
    if (Files.exists(root)) {
      try {
        verifier =
            new SignatureVerifier(SignatureVerifier.trustedRoot(root), MAPPER, Clock.systemUTC());
      } catch (IllegalStateException refused) {
        return new Outcome(false, "trusted root refused: " + refused.getMessage());
      }
    }
    VerifiedSignature verified;
    try {
      if (mode == Mode.PATH) {
        verified = verifier.verifyBundleJson(bundle, artifact, key);
      } else {
        JsonNode json;
        try {
          json = MAPPER.readTree(bundle);
        } catch (IOException notJson) {
          // the node receives bundles inside JSON documents: text that is not JSON never reaches
          // the verifier, and is refused all the same
          return new Outcome(false, "not JSON");
        }
        verified = verifier.verifyBundle(json, "sha256:" + sha256(artifact), key);
      }
    } catch (EvidenceRefused refused) {
      return new Outcome(false, refused.getMessage());
    }
    if (key == null
        && !(identity.equals(verified.identity()) && issuer.equals(verified.issuer()))) {
      return new Outcome(
          false, "verified, but signed by " + verified.identity() + " via " + verified.issuer());
    }
    return new Outcome(true, "verified, signed at " + verified.signedAt());
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
  }

  private static String orElse(String value, String otherwise) {
    return value == null ? otherwise : value.strip();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
