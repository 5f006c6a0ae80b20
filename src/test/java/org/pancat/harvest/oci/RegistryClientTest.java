package org.pancat.harvest.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pancat.support.OciRegistryFixture;

/** The registry client against a real Distribution registry (docker-registry 2.8). */
class RegistryClientTest {
  private static final String USER = "harvester";
  private static final String PASSWORD = "s3cret-Pa55word";
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private static OciRegistryFixture registry;
  private static OciRegistryFixture tokenRegistry;

  @BeforeAll
  static void start() {
    registry = OciRegistryFixture.start();
    tokenRegistry = OciRegistryFixture.withTokenAuth(USER, PASSWORD);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (tokenRegistry != null) {
      tokenRegistry.close();
    }
  }

  private static RegistryClient client(OciRegistryFixture r, RegistryCredentials credentials) {
    return new RegistryClient(r.uri(), credentials, HTTP, Duration.ofSeconds(10), 4 << 20);
  }

  private static RegistryClient anonymous() {
    return client(registry, null);
  }

  @Test
  void hostIsAsInAnImageReference() {
    assertEquals(registry.host(), anonymous().host());
  }

  @Test
  void catalogFollowsNextLinksOverSeveralPages() throws Exception {
    for (int i = 1; i <= 5; i++) {
      registry.pushImage("paging/repo" + i, "latest", Map.of(), "linux", "amd64");
    }
    // the registry really pages at n=2: its first page has a next link
    java.net.http.HttpResponse<Void> first =
        HTTP.send(
            java.net.http.HttpRequest.newBuilder(registry.uri().resolve("/v2/_catalog?n=2"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
    assertTrue(first.headers().firstValue("Link").orElse("").contains("rel=\"next\""));
    List<String> catalog = anonymous().pageSize(2).catalog();
    for (int i = 1; i <= 5; i++) {
      assertTrue(catalog.contains("paging/repo" + i), catalog.toString());
    }
    assertEquals(new HashSet<>(catalog).size(), catalog.size(), "no repository twice");
    assertEquals(catalog, anonymous().catalog(), "the same list in one page of 100");
  }

  @Test
  void tagsAreListedWhole() throws Exception {
    // Distribution 2.8 ignores n= on tag lists (it pages only the catalog): the client asks for
    // pages of 2 and gets one page; the Link-following itself is what the catalog test shows
    for (int i = 1; i <= 5; i++) {
      registry.pushImage("paging/tags", "v" + i, Map.of(), "linux", "amd64");
    }
    List<String> tags = anonymous().pageSize(2).tags("paging/tags");
    assertEquals(List.of("v1", "v2", "v3", "v4", "v5"), tags.stream().sorted().toList());
  }

  @Test
  void tagsOfAMissingRepositoryAreRefused() {
    RegistryRefused refused =
        assertThrows(RegistryRefused.class, () -> anonymous().tags("nowhere/missing"));
    assertEquals("repository nowhere/missing not found", refused.reason());
  }

  @Test
  void invalidNamesAreRefusedBeforeAnyRequest() {
    RegistryClient client = anonymous();
    assertThrows(RegistryRefused.class, () -> client.tags("Upper/Case"));
    assertThrows(RegistryRefused.class, () -> client.tags("a/../b"));
    assertThrows(RegistryRefused.class, () -> client.manifest("ok", "bad tag"));
    assertThrows(RegistryRefused.class, () -> client.manifest("ok", "sha256:abc"));
    assertThrows(RegistryRefused.class, () -> client.blob("ok", "sha512:" + "0".repeat(128), 10));
  }

  @Test
  void headDigestOfATagAndOfATagGone() throws Exception {
    String digest = registry.pushImage("apps/head", "1.0", Map.of(), "linux", "amd64");
    RegistryClient client = anonymous();
    assertEquals(Optional.of(digest), client.headDigest("apps/head", "1.0"));
    assertEquals(Optional.of(digest), client.headDigest("apps/head", digest));
    registry.deleteManifest("apps/head", digest);
    assertEquals(Optional.empty(), client.headDigest("apps/head", "1.0"));
  }

  @Test
  void multiArchIndexWithPlatformsAndConfigLabels() throws Exception {
    Map<String, String> labels =
        Map.of("org.opencontainers.image.title", "ptychography", "eu.pancat.facility", "esrf");
    String index =
        registry.pushMultiArch(
            "apps/multi", "2.1", labels, List.of("linux/amd64", "linux/arm64/v8"));
    RegistryClient client = anonymous();
    Manifest m = client.manifest("apps/multi", "2.1");
    assertTrue(m.isIndex());
    assertEquals(index, m.digest());
    assertEquals(Manifest.OCI_INDEX, m.mediaType());
    assertEquals(RegistryClient.sha256(m.bytes()), m.digest());

    List<Descriptor> platforms = RegistryClient.descriptors(m);
    assertEquals(
        List.of("linux/amd64", "linux/arm64/v8"),
        platforms.stream().map(d -> d.platform().toString()).toList());
    for (Descriptor d : platforms) {
      assertEquals(Manifest.OCI_MANIFEST, d.mediaType());
      Manifest image = client.manifest("apps/multi", d.digest());
      assertFalse(image.isIndex());
      assertEquals(d.size(), image.bytes().length);
      Descriptor config = RegistryClient.configDescriptor(image).orElseThrow();
      JsonNode json = client.config("apps/multi", config);
      assertEquals(
          "ptychography", json.at("/config/Labels/org.opencontainers.image.title").asText());
      assertEquals("esrf", json.at("/config/Labels/eu.pancat.facility").asText());
      assertEquals(d.platform().architecture(), json.path("architecture").asText());
      List<Descriptor> layers = RegistryClient.descriptors(image);
      assertEquals(1, layers.size());
      assertEquals(OciRegistryFixture.OCI_LAYER_GZIP, layers.get(0).mediaType());
    }
  }

  @Test
  void manifestAnnotationsOnlyWhenAsked() throws Exception {
    registry.pushImage("apps/annotated", "plain", Map.of("a", "1"), "linux", "amd64");
    registry.pushImage(
        "apps/annotated", "rich", Map.of("a", "1"), "linux", "amd64", Map.of("a", "1"));
    RegistryClient client = anonymous();
    assertEquals(Map.of(), RegistryClient.annotations(client.manifest("apps/annotated", "plain")));
    assertEquals(
        Map.of("a", "1"), RegistryClient.annotations(client.manifest("apps/annotated", "rich")));
  }

  @Test
  void blobIsVerifiedAndBounded() throws Exception {
    registry.pushImage("apps/blob", "1", Map.of(), "linux", "amd64");
    RegistryClient client = anonymous();
    Descriptor layer = RegistryClient.descriptors(client.manifest("apps/blob", "1")).get(0);
    byte[] bytes = client.blob("apps/blob", layer.digest(), layer.size());
    assertEquals(layer.size(), bytes.length);
    assertEquals(layer.digest(), RegistryClient.sha256(bytes));

    RegistryRefused tooLarge =
        assertThrows(
            RegistryRefused.class,
            () -> client.blob("apps/blob", layer.digest(), layer.size() - 1));
    assertTrue(tooLarge.reason().contains("larger than"), tooLarge.reason());
    RegistryRefused missing =
        assertThrows(
            RegistryRefused.class, () -> client.blob("apps/blob", "sha256:" + "0".repeat(64), 10));
    assertTrue(missing.reason().contains("not found"), missing.reason());
  }

  @Test
  void answersOverMaxBytesAreRefused() throws Exception {
    registry.pushImage("apps/small", "1", Map.of(), "linux", "amd64");
    RegistryClient tiny =
        new RegistryClient(registry.uri(), null, HTTP, Duration.ofSeconds(10), 100);
    RegistryRefused refused =
        assertThrows(RegistryRefused.class, () -> tiny.manifest("apps/small", "1"));
    assertTrue(refused.reason().contains("larger than 100 bytes"), refused.reason());
  }

  @Test
  void noReferrersApiIsEmpty() throws Exception {
    String digest = registry.pushImage("apps/referrers", "1", Map.of(), "linux", "amd64");
    assertEquals(Optional.empty(), anonymous().referrers("apps/referrers", digest));
  }

  @Test
  void cosignSignatureAndAttestationTags() throws Exception {
    String repo = "apps/signed";
    String digest = registry.pushImage(repo, "1.0", Map.of(), "linux", "amd64");
    byte[] payload =
        ("{\"critical\":{\"identity\":{\"docker-reference\":\""
                + registry.host()
                + "/"
                + repo
                + "\"},\"image\":{\"docker-manifest-digest\":\""
                + digest
                + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}")
            .getBytes(StandardCharsets.UTF_8);
    String signature = Base64.getEncoder().encodeToString("not really a signature".getBytes());
    registry.pushCosignSignature(
        repo, digest, payload, signature, Map.of("dev.sigstore.cosign/bundle", "{}"));
    String statement =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":"
            + "\"https://slsa.dev/provenance/v1\",\"subject\":[],\"predicate\":{}}";
    byte[] envelope =
        ("{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\""
                + Base64.getEncoder().encodeToString(statement.getBytes(StandardCharsets.UTF_8))
                + "\",\"signatures\":[{\"sig\":\"AAAA\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    registry.pushCosignAttestation(repo, digest, envelope);

    RegistryClient client = anonymous();
    String hex = digest.substring("sha256:".length());
    List<String> tags = client.tags(repo);
    assertTrue(tags.contains("sha256-" + hex + ".sig"), tags.toString());
    assertTrue(tags.contains("sha256-" + hex + ".att"), tags.toString());

    Manifest sig = client.manifest(repo, "sha256-" + hex + ".sig");
    List<Descriptor> sigLayers = RegistryClient.descriptors(sig);
    assertEquals(1, sigLayers.size());
    Descriptor sigLayer = sigLayers.get(0);
    assertEquals("application/vnd.dev.cosign.simplesigning.v1+json", sigLayer.mediaType());
    assertEquals(signature, sigLayer.annotations().get("dev.cosignproject.cosign/signature"));
    assertEquals("{}", sigLayer.annotations().get("dev.sigstore.cosign/bundle"));
    assertArrayEquals(payload, client.blob(repo, sigLayer.digest(), sigLayer.size()));

    Manifest att = client.manifest(repo, "sha256-" + hex + ".att");
    Descriptor attLayer = RegistryClient.descriptors(att).get(0);
    assertEquals("application/vnd.dsse.envelope.v1+json", attLayer.mediaType());
    assertEquals("https://slsa.dev/provenance/v1", attLayer.annotations().get("predicateType"));
    assertEquals("", attLayer.annotations().get("dev.cosignproject.cosign/signature"));
    assertArrayEquals(envelope, client.blob(repo, attLayer.digest(), attLayer.size()));
  }

  @Test
  void sigstoreBundleThroughTheReferrersTagFallback() throws Exception {
    String repo = "apps/bundled";
    String digest = registry.pushImage(repo, "1.0", Map.of(), "linux", "amd64");
    byte[] bundle =
        "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"dsseEnvelope\":{}}"
            .getBytes(StandardCharsets.UTF_8);
    String bundleManifest =
        registry.pushSigstoreBundle(repo, digest, bundle, "https://slsa.dev/provenance/v1");

    RegistryClient client = anonymous();
    assertEquals(Optional.empty(), client.referrers(repo, digest));
    Manifest fallback = client.manifest(repo, OciRegistryFixture.referrersTag(digest));
    assertTrue(fallback.isIndex());
    List<Descriptor> referrers = RegistryClient.descriptors(fallback);
    assertEquals(1, referrers.size());
    assertEquals(bundleManifest, referrers.get(0).digest());
    assertEquals(OciRegistryFixture.SIGSTORE_BUNDLE_V03, referrers.get(0).artifactType());

    Manifest referrer = client.manifest(repo, bundleManifest);
    assertEquals(digest, RegistryClient.subject(referrer).orElseThrow().digest());
    assertEquals(
        OciRegistryFixture.SIGSTORE_BUNDLE_V03, referrer.json().path("artifactType").asText());
    assertEquals(
        "https://slsa.dev/provenance/v1",
        RegistryClient.annotations(referrer).get("dev.sigstore.bundle.predicateType"));
    Descriptor layer = RegistryClient.descriptors(referrer).get(0);
    assertEquals(OciRegistryFixture.SIGSTORE_BUNDLE_V03, layer.mediaType());
    assertArrayEquals(bundle, client.blob(repo, layer.digest(), layer.size()));
  }

  @Test
  void manifestBytesThatDoNotMatchTheirDigestAreRefused() throws Exception {
    ObjectMapper json = new ObjectMapper();
    byte[] bytes =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}"
            .getBytes(StandardCharsets.UTF_8);
    String other = "sha256:" + "ab".repeat(32);
    RegistryRefused askedByDigest =
        assertThrows(
            RegistryRefused.class,
            () -> RegistryClient.manifestOf(json, "apps/x", other, null, null, bytes));
    assertEquals("the registry's manifest does not match its digest", askedByDigest.reason());
    RegistryRefused headerLies =
        assertThrows(
            RegistryRefused.class,
            () -> RegistryClient.manifestOf(json, "apps/x", "1.0", other, null, bytes));
    assertEquals("the registry's manifest does not match its digest", headerLies.reason());
    Manifest fine =
        RegistryClient.manifestOf(json, "apps/x", RegistryClient.sha256(bytes), null, null, bytes);
    assertEquals(RegistryClient.sha256(bytes), fine.digest());

    // asked by a digest the real registry does not have
    String digest = registry.pushImage("apps/digest", "1", Map.of(), "linux", "amd64");
    assertEquals(digest, anonymous().manifest("apps/digest", digest).digest());
    assertThrows(RegistryRefused.class, () -> anonymous().manifest("apps/digest", other));
  }

  @Test
  void tokenAuthWithTheRightCredentials() throws Exception {
    String digest =
        tokenRegistry.pushImage("secure/app", "1.0", Map.of("team", "imaging"), "linux", "arm64");
    RegistryClient client = client(tokenRegistry, new RegistryCredentials(USER, PASSWORD));
    int before = tokenRegistry.tokensIssued();
    assertEquals(List.of("1.0"), client.tags("secure/app"));
    assertEquals(List.of("1.0"), client.tags("secure/app"));
    assertEquals(Optional.of(digest), client.headDigest("secure/app", "1.0"));
    Manifest m = client.manifest("secure/app", "1.0");
    JsonNode config = client.config("secure/app", RegistryClient.configDescriptor(m).orElseThrow());
    assertEquals("imaging", config.at("/config/Labels/team").asText());
    assertEquals(1, tokenRegistry.tokensIssued() - before, "one token for the pull scope, cached");
    assertTrue(client.catalog().contains("secure/app"));
    assertEquals(2, tokenRegistry.tokensIssued() - before, "and one for the catalog");
  }

  @Test
  void tokenAuthWithWrongCredentialsIsRefusedClearly() throws Exception {
    tokenRegistry.pushImage("secure/wrong", "1.0", Map.of(), "linux", "amd64");
    String wrong = "not-" + PASSWORD;
    RegistryClient client = client(tokenRegistry, new RegistryCredentials(USER, wrong));
    RegistryRefused refused =
        assertThrows(RegistryRefused.class, () -> client.tags("secure/wrong"));
    assertEquals(
        "the registry's token service refused the configured credentials", refused.reason());
    assertFalse(refused.getMessage().contains(wrong));
    assertFalse(String.valueOf(refused.getCause()).contains(wrong));
    assertFalse(new RegistryCredentials(USER, wrong).toString().contains(wrong));
  }

  @Test
  void anonymousAgainstTokenAuthIsRefused() {
    RegistryRefused refused =
        assertThrows(RegistryRefused.class, () -> client(tokenRegistry, null).catalog());
    assertEquals(
        "the registry requires credentials: its token service refused anonymous access",
        refused.reason());
  }

  // ---------------------------------------------------------------------------------------------
  // what a real registry would not do: a small loopback server answers as a hostile one would

  @Test
  void noPasswordToAPlainHttpRealmOffLoopback() throws Exception {
    try (Hostile hostile =
        new Hostile(
            exchange -> {
              exchange
                  .getResponseHeaders()
                  .add(
                      "WWW-Authenticate",
                      "Bearer realm=\"http://auth.example.org/token\",service=\"x\"");
              reply(exchange, 401, "{}");
            })) {
      RegistryClient client =
          new RegistryClient(
              hostile.uri(),
              new RegistryCredentials(USER, PASSWORD, List.of("127.0.0.1", "auth.example.org")),
              HTTP,
              Duration.ofSeconds(5),
              1 << 20);
      RegistryRefused refused = assertThrows(RegistryRefused.class, () -> client.tags("a/b"));
      assertTrue(refused.reason().contains("does not send credentials in clear"), refused.reason());
      assertFalse(refused.reason().contains(PASSWORD));
      assertEquals(1, hostile.requests.get(), "nothing sent to the realm");
      // credentials go only to the hosts named with them: a realm elsewhere does not get them
      RegistryClient bound =
          new RegistryClient(
              hostile.uri(),
              new RegistryCredentials(USER, PASSWORD),
              HTTP,
              Duration.ofSeconds(5),
              1 << 20);
      RegistryRefused elsewhere = assertThrows(RegistryRefused.class, () -> bound.tags("a/b"));
      assertTrue(
          elsewhere.reason().contains("not a host the configured credentials may be sent to"),
          elsewhere.reason());
    }
  }

  @Test
  void aNextLinkToAnotherHostIsRefused() throws Exception {
    try (Hostile hostile =
        new Hostile(
            exchange -> {
              exchange
                  .getResponseHeaders()
                  .add("Link", "<http://elsewhere.example/v2/_catalog?n=2&last=b>; rel=\"next\"");
              reply(exchange, 200, "{\"repositories\":[\"a\",\"b\"]}");
            })) {
      RegistryClient client =
          new RegistryClient(hostile.uri(), null, HTTP, Duration.ofSeconds(5), 1 << 20);
      RegistryRefused refused = assertThrows(RegistryRefused.class, client::catalog);
      assertEquals("the registry's next-page link leaves the registry", refused.reason());
    }
  }

  @Test
  void aLinkLoopIsRefused() throws Exception {
    try (Hostile hostile =
        new Hostile(
            exchange -> {
              exchange.getResponseHeaders().add("Link", "</v2/_catalog?n=100>; rel=\"next\"");
              reply(exchange, 200, "{\"repositories\":[\"a\"]}");
            })) {
      RegistryClient client =
          new RegistryClient(hostile.uri(), null, HTTP, Duration.ofSeconds(5), 1 << 20);
      RegistryRefused refused = assertThrows(RegistryRefused.class, client::catalog);
      assertTrue(refused.reason().contains("loop"), refused.reason());
    }
  }

  @Test
  void aClientThatFollowsRedirectsItselfIsNotAccepted() {
    HttpClient following =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RegistryClient(
                URI.create("https://registry.example"), null, following, Duration.ofSeconds(5), 1));
  }

  private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private interface Handler {
    void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException;
  }

  private static final class Hostile implements AutoCloseable {
    final HttpServer server;
    final AtomicInteger requests = new AtomicInteger();

    Hostile(Handler handler) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            requests.incrementAndGet();
            handler.handle(exchange);
          });
      server.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
