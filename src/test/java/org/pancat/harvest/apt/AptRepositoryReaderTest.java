package org.pancat.harvest.apt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pancat.support.AptRepositoryFixture;
import org.pancat.support.AptRepositoryFixture.Options;
import org.pancat.support.AptRepositoryFixture.PackageSpec;

/** The APT reader against real signed repositories (gpg, dpkg-deb, reprepro), served locally. */
class AptRepositoryReaderTest {
  private static final String SUITE = "pancat-test";
  private static final long MAX_BYTES = 16L * 1024 * 1024;
  private static final PackageSpec LONG_DESCRIPTION =
      new PackageSpec(
          "pancat-long-description",
          "1:2.0~rc1+ds-3",
          "pancat-src",
          "https://pancat.invalid/long",
          "science",
          "amd64",
          "synopsis of the package\nFirst paragraph, line one.\nLine two.\n\nSecond paragraph.\n  a"
              + " verbatim line");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static AptRepositoryFixture shared;

  @BeforeAll
  static void buildRepository() {
    List<PackageSpec> specs = new java.util.ArrayList<>(AptRepositoryFixture.debianPanPackages());
    specs.add(LONG_DESCRIPTION);
    shared = AptRepositoryFixture.build(SUITE, specs);
  }

  @AfterAll
  static void stopRepository() {
    if (shared != null) {
      shared.close();
    }
  }

  private static AptRepositoryReader reader() {
    return reader(Clock.systemUTC());
  }

  private static AptRepositoryReader reader(Clock clock) {
    return new AptRepositoryReader(HTTP, Duration.ofSeconds(10), MAX_BYTES, clock);
  }

  private static AptSource source(AptRepositoryFixture repo) {
    return new AptSource(
        repo.baseUrl(),
        repo.suite(),
        List.of("main"),
        List.of("amd64", "arm64"),
        repo.armoredKey());
  }

  private static List<PackageSpec> two() {
    return List.of(
        new PackageSpec(
            "alpha", "1.0-1", "alpha", "https://alpha.invalid", "science", "amd64", "a"),
        new PackageSpec("beta", "2:0.1~b1-2", "beta-src", null, "doc", "all", "b"));
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(AptRepositoryReader.sha256(bytes));
  }

  private static String refusal(Executable call) {
    AptRefused refused = assertThrows(AptRefused.class, call::run);
    String reason = refused.reason();
    assertNotNull(reason);
    assertFalse(reason.contains("Exception"), reason);
    assertFalse(reason.contains("\n"), reason);
    return reason;
  }

  private interface Executable {
    void run() throws Exception;
  }

  @Test
  void aGoodRepositoryReadsWithTheArchiveKeysFingerprint() throws Exception {
    AptSource source = source(shared);
    VerifiedRelease release = reader().verifyRelease(source);

    assertEquals(shared.fingerprint(), release.signerFingerprint());
    assertEquals(sha256(Files.readAllBytes(shared.dists().resolve("InRelease"))), release.sha256());
    assertTrue(Duration.between(release.date(), Instant.now()).abs().toMinutes() < 10);
    assertNull(release.validUntil());
    VerifiedRelease.IndexFile gz = release.files().get("main/binary-amd64/Packages.gz");
    assertNotNull(gz, release.files().keySet().toString());
    Path gzFile = shared.dists().resolve("main/binary-amd64/Packages.gz");
    assertEquals(Files.size(gzFile), gz.size());
    assertEquals(sha256(Files.readAllBytes(gzFile)), gz.sha256());

    List<DebPackage> packages = reader().packages(source, release);
    assertEquals(251, packages.size());
    for (DebPackage p : packages) {
      byte[] deb = Files.readAllBytes(shared.root().resolve(p.filename()));
      assertEquals(deb.length, p.size(), p.filename());
      assertEquals(sha256(deb), p.sha256(), p.filename());
      assertEquals(AptRepositoryFixture.MAINTAINER, p.maintainer());
    }
    DebPackage longOne =
        packages.stream().filter(p -> p.name().equals(LONG_DESCRIPTION.name())).findFirst().get();
    assertEquals("1:2.0~rc1+ds-3", longOne.version());
    assertEquals("pancat-src", longOne.source());
    assertEquals("synopsis of the package", longOne.description());
    assertEquals(
        "First paragraph, line one.\nLine two.\n\nSecond paragraph.\n  a verbatim line",
        longOne.longDescription());
  }

  @Test
  void theDebianPanPackagesAreAllReadWithHomepageSourceAndSynopsis() throws Exception {
    AptSource source = source(shared);
    Map<String, DebPackage> read =
        reader().packages(source, reader().verifyRelease(source)).stream()
            .collect(Collectors.toMap(DebPackage::name, Function.identity()));
    List<PackageSpec> expected = AptRepositoryFixture.debianPanPackages();
    assertEquals(250, expected.size());
    for (PackageSpec spec : expected) {
      DebPackage p = read.get(spec.name());
      assertNotNull(p, spec.name());
      assertEquals(spec.version(), p.version(), spec.name());
      assertEquals(spec.source(), p.source(), spec.name());
      assertEquals(spec.homepage(), p.homepage(), spec.name());
      assertEquals(spec.description(), p.description(), spec.name());
      assertEquals(spec.section(), p.section(), spec.name());
      assertEquals(spec.architecture(), p.architecture(), spec.name());
      assertTrue(p.longDescription().startsWith(spec.name() + " is a package"), spec.name());
    }
  }

  @Test
  void aKeyRingWithAnotherKeyBesidesTheArchiveKeyStillVerifies() throws Exception {
    AptSource both =
        new AptSource(
            shared.baseUrl(),
            SUITE,
            List.of("main"),
            List.of("amd64"),
            AptRepositoryFixture.freshArmoredKey() + "\n" + shared.armoredKey());
    assertEquals(shared.fingerprint(), reader().verifyRelease(both).signerFingerprint());
  }

  @Test
  void aRepositoryCheckedAgainstAnotherKeyIsRefused() {
    AptSource other =
        new AptSource(
            shared.baseUrl(),
            SUITE,
            List.of("main"),
            List.of("amd64"),
            AptRepositoryFixture.freshArmoredKey());
    String reason = refusal(() -> reader().verifyRelease(other));
    assertTrue(reason.startsWith("the InRelease is signed by another key (fingerprint "), reason);
    assertTrue(reason.contains(shared.fingerprint()), reason);
    assertTrue(reason.endsWith("not by the archive key given"), reason);
  }

  @Test
  void aTamperedInReleaseIsRefused() {
    try (AptRepositoryFixture repo = AptRepositoryFixture.build(SUITE, two())) {
      reader().verifyRelease(source(repo));
      repo.tamperInRelease();
      assertEquals(
          "the InRelease signature does not verify against the archive key",
          refusal(() -> reader().verifyRelease(source(repo))));
    } catch (AptRefused e) {
      throw new AssertionError(e.reason());
    }
  }

  @Test
  void anUnsignedInReleaseIsRefused() {
    try (AptRepositoryFixture repo = AptRepositoryFixture.build(SUITE, two())) {
      repo.replaceInReleaseUnsigned();
      assertEquals(
          "the InRelease is not signed (it is not an OpenPGP cleartext-signed message)",
          refusal(() -> reader().verifyRelease(source(repo))));
    }
  }

  @Test
  void aCorruptedPackagesIndexIsRefusedNamingTheFile() throws Exception {
    try (AptRepositoryFixture repo = AptRepositoryFixture.build(SUITE, two())) {
      AptSource source = source(repo);
      VerifiedRelease release = reader().verifyRelease(source);
      assertEquals(2, reader().packages(source, release).size());
      repo.corruptPackagesIndex("main", "arm64");
      String reason = refusal(() -> reader().packages(source, release));
      // gzip of the changed text may differ in size too: either difference is named
      assertTrue(
          reason.startsWith(
              "dists/" + SUITE + "/main/binary-arm64/Packages.gz does not match the InRelease: "),
          reason);
      assertTrue(
          reason.endsWith("its sha256 differs from the one listed")
              || reason.matches(".*it has \\d+ bytes, the InRelease lists \\d+"),
          reason);
    }
  }

  @Test
  void addedPackagesAreSignedAgainAndRead() throws Exception {
    try (AptRepositoryFixture repo = AptRepositoryFixture.build(SUITE, two())) {
      AptSource source = source(repo);
      VerifiedRelease before = reader().verifyRelease(source);
      repo.addPackages(
          List.of(new PackageSpec("gamma", "3.0-1", "gamma", null, "science", "amd64", "gamma")));
      VerifiedRelease after = reader().verifyRelease(source);
      assertNotEquals(before.sha256(), after.sha256());
      List<String> names = reader().packages(source, after).stream().map(DebPackage::name).toList();
      assertEquals(List.of("alpha", "beta", "gamma"), names.stream().sorted().toList());
    }
  }

  @Test
  void anExpiredValidUntilIsRefused() throws Exception {
    try (AptRepositoryFixture repo =
        AptRepositoryFixture.build(SUITE, two(), new Options("1d", "ed25519", null))) {
      VerifiedRelease now = reader().verifyRelease(source(repo));
      assertNotNull(now.validUntil());
      assertEquals(Duration.ofDays(1), Duration.between(now.date(), now.validUntil()));

      Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(2));
      String reason = refusal(() -> reader(later).verifyRelease(source(repo)));
      assertTrue(reason.startsWith("the InRelease expired: it is valid until "), reason);
    }
  }

  @Test
  void anRsaKeyAndSha512SignatureVerify() throws Exception {
    try (AptRepositoryFixture repo =
        AptRepositoryFixture.build(SUITE, two(), new Options(null, "rsa2048", "SHA512"))) {
      String inRelease = Files.readString(repo.dists().resolve("InRelease"));
      assertTrue(inRelease.contains("Hash: SHA512"), inRelease);
      AptSource source = source(repo);
      VerifiedRelease release = reader().verifyRelease(source);
      assertEquals(repo.fingerprint(), release.signerFingerprint());
      assertEquals(2, reader().packages(source, release).size());
    }
  }

  @Test
  void aDateMoreThanADayAheadIsRefused() {
    Clock earlier = Clock.offset(Clock.systemUTC(), Duration.ofDays(-2));
    String reason = refusal(() -> reader(earlier).verifyRelease(source(shared)));
    assertTrue(reason.endsWith(", more than a day in the future"), reason);
  }

  @Test
  void anotherSuitesReleaseIsRefused() {
    shared.serveSuiteAs("elsewhere");
    AptSource elsewhere =
        new AptSource(
            shared.baseUrl(), "elsewhere", List.of("main"), List.of("amd64"), shared.armoredKey());
    assertEquals(
        "the InRelease is for suite " + SUITE + " (codename " + SUITE + "), not for elsewhere",
        refusal(() -> reader().verifyRelease(elsewhere)));
  }

  @Test
  void aMissingInReleaseIsRefusedWithTheStatus() {
    AptSource missing =
        new AptSource(
            shared.baseUrl(), "nosuch", List.of("main"), List.of("amd64"), shared.armoredKey());
    assertEquals(
        "the repository answered HTTP 404 for dists/nosuch/InRelease",
        refusal(() -> reader().verifyRelease(missing)));
  }

  @Test
  void aResponseOverTheLimitIsRefused() throws Exception {
    AptRepositoryReader small =
        new AptRepositoryReader(HTTP, Duration.ofSeconds(10), 300, Clock.systemUTC());
    String expected =
        "the answer for dists/" + SUITE + "/InRelease is larger than the limit of 300 bytes";
    assertEquals(expected, refusal(() -> small.verifyRelease(source(shared))));
    shared.chunkedResponses(true);
    try {
      assertEquals(expected, refusal(() -> small.verifyRelease(source(shared))));
    } finally {
      shared.chunkedResponses(false);
    }
  }

  @Test
  void aPackagesIndexDecompressingOverTheLimitIsRefused() throws Exception {
    long gz = Files.size(shared.dists().resolve("main/binary-amd64/Packages.gz"));
    long plain = Files.size(shared.dists().resolve("main/binary-amd64/Packages"));
    long limit = Math.max(gz, Files.size(shared.dists().resolve("InRelease"))) + 1000;
    assertTrue(limit < plain, "the test needs an index that compresses well");
    AptRepositoryReader small =
        new AptRepositoryReader(HTTP, Duration.ofSeconds(10), limit, Clock.systemUTC());
    AptSource source = source(shared);
    VerifiedRelease release = small.verifyRelease(source);
    assertEquals(
        "dists/"
            + SUITE
            + "/main/binary-amd64/Packages.gz decompresses to more than the limit of "
            + limit
            + " bytes",
        refusal(() -> small.packages(source, release)));
  }

  @Test
  void aSlowRepositoryIsRefusedAsTimedOut() {
    AptRepositoryReader impatient =
        new AptRepositoryReader(HTTP, Duration.ofMillis(300), MAX_BYTES, Clock.systemUTC());
    shared.delayResponses(Duration.ofSeconds(2));
    try {
      assertEquals(
          "the request for dists/" + SUITE + "/InRelease timed out after 300 ms",
          refusal(() -> impatient.verifyRelease(source(shared))));
    } finally {
      shared.delayResponses(Duration.ZERO);
    }
  }

  @Test
  void aComponentOrArchitectureTheReleaseDoesNotListIsRefused() throws Exception {
    VerifiedRelease release = reader().verifyRelease(source(shared));
    AptSource i386 =
        new AptSource(
            shared.baseUrl(), SUITE, List.of("main"), List.of("i386"), shared.armoredKey());
    assertEquals(
        "the release lists no Packages index for component main, architecture i386 (no"
            + " main/binary-i386/Packages.gz or main/binary-i386/Packages)",
        refusal(() -> reader().packages(i386, release)));
    AptSource contrib =
        new AptSource(
            shared.baseUrl(), SUITE, List.of("contrib"), List.of("amd64"), shared.armoredKey());
    assertTrue(
        refusal(() -> reader().packages(contrib, release))
            .startsWith("the release lists no Packages index for component contrib"));
  }

  @Test
  void anIndexListedOnlyAsXzIsRefused() {
    VerifiedRelease release =
        new VerifiedRelease(
            "0".repeat(64),
            Instant.now(),
            null,
            "X",
            Map.of(
                "main/binary-amd64/Packages.xz",
                new VerifiedRelease.IndexFile("main/binary-amd64/Packages.xz", 1, "0".repeat(64))));
    assertTrue(
        refusal(() -> reader().packages(source(shared), release))
            .endsWith("only as main/binary-amd64/Packages.xz, and xz is not supported"));
  }

  @Test
  void theCleartextIsCanonicalisedAsOpenPgpRequires() throws Exception {
    String text = "Origin: x \t\n- dashed line\n-----not armour\ntrailing   \nlast";
    String signed = shared.clearsign(text);
    assertTrue(signed.contains("\n- -----not armour"), signed);
    var keys = ClearSignedVerifier.readKeys(shared.armoredKey());
    var verified =
        ClearSignedVerifier.verify(signed.getBytes(StandardCharsets.ISO_8859_1), keys, "InRelease");
    assertEquals(shared.fingerprint(), verified.signerFingerprint());
    assertEquals("Origin: x\n- dashed line\n-----not armour\ntrailing\nlast\n", verified.text());
    // the same message with CRLF line endings, as a Windows server may send it
    byte[] crlf = signed.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(
        shared.fingerprint(),
        ClearSignedVerifier.verify(crlf, keys, "InRelease").signerFingerprint());
    // trailing whitespace is not signed: adding some changes nothing
    byte[] spaced = signed.replace("\nlast\n", "\nlast  \n").getBytes(StandardCharsets.ISO_8859_1);
    ClearSignedVerifier.verify(spaced, keys, "InRelease");
    byte[] changed = signed.replace("\nlast\n", "\nlasT\n").getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(
        "the InRelease signature does not verify against the archive key",
        refusal(() -> ClearSignedVerifier.verify(changed, keys, "InRelease")));
  }

  @Test
  void aMalformedStanzaIsRefusedWithItsLine() {
    String good =
        "Package: ab\nVersion: 1\nArchitecture: all\nFilename: pool/ab.deb\nSize: 1\nSHA256: "
            + "a".repeat(64)
            + "\n";
    assertEquals(
        "the stanza on line 8 of Packages has no Version field",
        refusal(
            () ->
                AptRepositoryReader.parsePackages(
                    good + "\n" + good.replace("Version: 1\n", "Description: x\n") + "\n",
                    "Packages")));
    assertEquals(
        "Packages has a malformed field on line 3",
        refusal(
            () ->
                AptRepositoryReader.parsePackages(
                    "Package: a\nVersion: 1\nno colon\n", "Packages")));
    assertEquals(
        "the stanza on line 1 of Packages has a SHA256 that is not 64 hexadecimal digits",
        refusal(
            () ->
                AptRepositoryReader.parsePackages(
                    good.replace("a".repeat(64), "a".repeat(63) + "g"), "Packages")));
    assertEquals(
        "the stanza on line 1 of Packages has a Filename that is not a relative path in the"
            + " repository",
        refusal(
            () ->
                AptRepositoryReader.parsePackages(
                    good.replace("pool/ab.deb", "../etc/passwd"), "Packages")));
  }
}
