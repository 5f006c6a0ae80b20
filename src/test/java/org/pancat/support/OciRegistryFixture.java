package org.pancat.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A real OCI Distribution registry for tests: {@code /usr/bin/docker-registry} (Debian's
 * docker-registry 2.8) started as a process on 127.0.0.1 with filesystem storage in a temporary
 * directory and deletes enabled. Distribution 2.8 has no referrers API and does not page tag lists
 * (it ignores {@code n} there; the catalog is paged).
 *
 * <p>With {@link #withTokenAuth} the registry runs with {@code auth.token}, and a token server in
 * this JVM (on 127.0.0.1) checks Basic credentials and issues ES256 JWTs carrying the signing
 * certificate in {@code x5c}; that self-signed certificate is the registry's rootcertbundle (see
 * distribution release/2.8 registry/auth/token/token.go, VerifySigningKey).
 *
 * <p>Images, indexes and cosign artifacts are pushed through the registry's HTTP API from Java. The
 * registry is killed on {@link #close} and, failing that, by a JVM shutdown hook.
 */
public final class OciRegistryFixture implements AutoCloseable {
  public static final String BINARY = "/usr/bin/docker-registry";
  public static final String SERVICE = "pancat-test-registry";
  public static final String ISSUER = "pancat-test-token-issuer";

  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

  // cosign: pkg/types/media.go, payload.go; pkg/oci/static/signature.go (annotation keys)
  public static final String COSIGN_SIMPLESIGNING =
      "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String DSSE_ENVELOPE = "application/vnd.dsse.envelope.v1+json";
  public static final String COSIGN_SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  // sigstore-go bundle.MediaTypeString("0.3"), as cosign's WriteAttestationNewBundleFormat uses
  public static final String SIGSTORE_BUNDLE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final String user;
  private final String password;
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final AtomicInteger tokenRefusals = new AtomicInteger();
  private Process process;
  private Thread shutdownHook;
  private HttpServer tokenServer;
  private KeyPair signingKey;
  private byte[] certificate;
  private int port;

  private OciRegistryFixture(String user, String password) {
    this.user = user;
    this.password = password;
    try {
      home = Files.createTempDirectory("pancat-oci-registry");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An anonymous registry (anyone may pull and push), started. */
  public static OciRegistryFixture start() {
    return new OciRegistryFixture(null, null).launch();
  }

  /** A registry behind token auth: the token server grants what is asked to user:password. */
  public static OciRegistryFixture withTokenAuth(String user, String password) {
    return new OciRegistryFixture(user, password).launch();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** host:port, as in an image reference. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** Tokens the token server has issued (token-auth mode). */
  public int tokensIssued() {
    return tokensIssued.get();
  }

  /** Token requests the token server refused (wrong or no credentials). */
  public int tokenRefusals() {
    return tokenRefusals.get();
  }

  // ---------------------------------------------------------------------------------------------
  // lifecycle

  private OciRegistryFixture launch() {
    try {
      if (!Files.isExecutable(Path.of(BINARY))) {
        throw new IllegalStateException(BINARY + " is missing: apt-get install docker-registry");
      }
      if (user != null) {
        startTokenServer();
      }
      IOException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        port = freePort();
        Path config = writeConfig();
        Path log = home.resolve("registry.log");
        process =
            new ProcessBuilder(BINARY, "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (shutdownHook == null) {
          shutdownHook = new Thread(this::stopProcess, "oci-registry-fixture-stop");
          Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        try {
          awaitReady(log);
          return this;
        } catch (IOException e) {
          last = e;
          stopProcess();
        }
      }
      throw last;
    } catch (IOException | RuntimeException e) {
      close();
      throw new IllegalStateException("the test registry did not start: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while starting the test registry", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private Path writeConfig() throws IOException {
    Path storage = home.resolve("storage");
    Files.createDirectories(storage);
    StringBuilder yaml = new StringBuilder();
    yaml.append("version: 0.1\n")
        .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
        .append("storage:\n")
        .append("  filesystem:\n    rootdirectory: ")
        .append(storage)
        .append('\n')
        .append("  delete:\n    enabled: true\n")
        .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
        .append("http:\n  addr: 127.0.0.1:")
        .append(port)
        .append('\n')
        .append("  secret: ")
        .append(UUID.randomUUID())
        .append('\n');
    if (user != null) {
      Path bundle = home.resolve("token-root.pem");
      Files.writeString(bundle, pem(certificate));
      yaml.append("auth:\n  token:\n")
          .append("    realm: http://127.0.0.1:")
          .append(tokenServer.getAddress().getPort())
          .append("/token\n")
          .append("    service: ")
          .append(SERVICE)
          .append('\n')
          .append("    issuer: ")
          .append(ISSUER)
          .append('\n')
          .append("    rootcertbundle: ")
          .append(bundle)
          .append('\n');
    }
    Path config = home.resolve("config.yml");
    Files.writeString(config, yaml.toString());
    return config;
  }

  private void awaitReady(Path log) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    HttpRequest ping =
        HttpRequest.newBuilder(uri().resolve("/v2/")).timeout(Duration.ofSeconds(2)).build();
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited: " + tail(log));
      }
      try {
        int status = http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200 || status == 401) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IOException("docker-registry did not answer GET /v2/ in 20 s: " + tail(log));
  }

  private static String tail(Path log) {
    return Logs.tail(log, 2000);
  }

  private synchronized void stopProcess() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    stopProcess();
    if (tokenServer != null) {
      tokenServer.stop(0);
      tokenServer = null;
    }
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
      shutdownHook = null;
    }
    try (Stream<Path> files = Files.walk(home)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the token server

  private void startTokenServer() throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      signingKey = generator.generateKeyPair();
      Instant now = Instant.now();
      X509CertificateHolder holder =
          new JcaX509v3CertificateBuilder(
                  new X500Name("CN=pancat test registry token issuer"),
                  BigInteger.valueOf(now.toEpochMilli()),
                  Date.from(now.minus(Duration.ofHours(1))),
                  Date.from(now.plus(Duration.ofDays(1))),
                  new X500Name("CN=pancat test registry token issuer"),
                  signingKey.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign))
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey.getPrivate()));
      certificate = holder.getEncoded();
    } catch (java.security.GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("could not make the token signing certificate", e);
    }
    tokenServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tokenServer.createContext("/token", this::token);
    tokenServer.start();
  }

  private void token(HttpExchange exchange) throws IOException {
    try {
      String expected =
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      String given = exchange.getRequestHeaders().getFirst("Authorization");
      if (given == null || !MessageDigest.isEqual(expected.getBytes(), given.getBytes())) {
        tokenRefusals.incrementAndGet();
        respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
        return;
      }
      List<String> scopes = new ArrayList<>();
      String query = exchange.getRequestURI().getRawQuery();
      String service = null;
      if (query != null) {
        for (String pair : query.split("&")) {
          String[] kv = pair.split("=", 2);
          String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
          if (kv[0].equals("scope")) {
            scopes.addAll(List.of(value.split(" ")));
          } else if (kv[0].equals("service")) {
            service = value;
          }
        }
      }
      if (!SERVICE.equals(service)) {
        respond(exchange, 400, "{\"errors\":[{\"code\":\"UNSUPPORTED\"}]}");
        return;
      }
      String jwt = mint(user, scopes, Duration.ofMinutes(5));
      tokensIssued.incrementAndGet();
      respond(exchange, 200, JSON.writeValueAsString(Map.of("token", jwt, "expires_in", 300)));
    } finally {
      exchange.close();
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * A registry token granting each scope ({@code type:name:actions}) what it asks: the claims of
   * distribution's ClaimSet (iss, sub, aud as one string, exp, nbf, iat, jti, access).
   */
  private String mint(String subject, List<String> scopes, Duration lifetime) {
    List<Map<String, Object>> access = new ArrayList<>();
    for (String scope : scopes) {
      int first = scope.indexOf(':');
      int last = scope.lastIndexOf(':');
      if (first < 0 || last <= first) {
        continue;
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", scope.substring(0, first));
      entry.put("name", scope.substring(first + 1, last));
      entry.put("actions", List.of(scope.substring(last + 1).split(",")));
      access.add(entry);
    }
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(subject)
            .audience(SERVICE)
            .expirationTime(Date.from(now.plus(lifetime)))
            .notBeforeTime(Date.from(now.minusSeconds(5)))
            .issueTime(Date.from(now))
            .jwtID(UUID.randomUUID().toString())
            .claim("access", access)
            .build();
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .type(JOSEObjectType.JWT)
                  .x509CertChain(List.of(Base64.encode(certificate)))
                  .build(),
              claims);
      jwt.sign(new ECDSASigner((ECPrivateKey) signingKey.getPrivate()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  // ---------------------------------------------------------------------------------------------
  // pushing, through the registry's HTTP API

  /** An image of one small gzip tar layer; the labels go into config.Labels. */
  public String pushImage(
      String repository, String tag, Map<String, String> labels, String os, String arch) {
    return pushImage(repository, tag, labels, os, arch, null, Map.of());
  }

  /** The same, with manifest annotations. */
  public String pushImage(
      String repository,
      String tag,
      Map<String, String> labels,
      String os,
      String arch,
      Map<String, String> annotations) {
    return pushImage(repository, tag, labels, os, arch, null, annotations);
  }

  private String pushImage(
      String repository,
      String tag,
      Map<String, String> labels,
      String os,
      String arch,
      String variant,
      Map<String, String> annotations) {
    String platform = os + "/" + arch + (variant == null ? "" : "/" + variant);
    byte[] tar =
        tar(
            "pancat-" + repository.replace('/', '-') + ".txt",
            ("image " + repository + ":" + tag + " for " + platform + "\n")
                .getBytes(StandardCharsets.UTF_8));
    byte[] layer = gzip(tar);
    String layerDigest = pushBlob(repository, layer);

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", arch);
    config.put("os", os);
    if (variant != null) {
      config.put("variant", variant);
    }
    config.put("config", Map.of("Labels", labels));
    config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(digest(tar))));
    byte[] configBytes = json(config);
    String configDigest = pushBlob(repository, configBytes);

    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OCI_MANIFEST);
    manifest.put("config", descriptor(OCI_CONFIG, configDigest, configBytes.length));
    manifest.put("layers", List.of(descriptor(OCI_LAYER_GZIP, layerDigest, layer.length)));
    if (annotations != null && !annotations.isEmpty()) {
      manifest.put("annotations", annotations);
    }
    return putManifest(repository, tag, OCI_MANIFEST, json(manifest));
  }

  /**
   * One image per platform ("linux/amd64", "linux/arm64/v8"), pushed by digest, and an OCI image
   * index of them tagged {@code tag}: the index digest.
   */
  public String pushMultiArch(
      String repository, String tag, Map<String, String> labels, List<String> platforms) {
    List<Object> manifests = new ArrayList<>();
    for (String platform : platforms) {
      String[] p = platform.split("/");
      String variant = p.length > 2 ? p[2] : null;
      String digest = pushImage(repository, null, labels, p[0], p[1], variant, Map.of());
      Map<String, Object> d = descriptor(OCI_MANIFEST, digest, manifestSize(repository, digest));
      Map<String, Object> plat = new LinkedHashMap<>();
      plat.put("architecture", p[1]);
      plat.put("os", p[0]);
      if (variant != null) {
        plat.put("variant", variant);
      }
      d.put("platform", plat);
      manifests.add(d);
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", OCI_INDEX);
    index.put("manifests", manifests);
    return putManifest(repository, tag, OCI_INDEX, json(index));
  }

  public void deleteManifest(String repository, String digest) {
    HttpResponse<String> response =
        send(repository, "DELETE", path(repository, "/manifests/" + digest), null, null);
    if (response.statusCode() != 202) {
      throw new IllegalStateException("delete failed: " + response.statusCode());
    }
  }

  /**
   * A cosign signature as {@code cosign sign} (key-based, tag scheme) writes it, tagged {@code
   * sha256-<hex>.sig}: copied from sigstore/cosign (main, v3 module path) pkg/oci/remote/remote.go
   * ({@code normalize}: "sha256:hex" becomes "sha256-hex" + "." + suffix, SignatureTagSuffix
   * "sig"), pkg/oci/empty/empty.go (an OCI manifest with config mediaType
   * application/vnd.oci.image.config.v1+json), pkg/oci/static/signature.go and options.go (one
   * layer per signature: the payload blob, mediaType {@code
   * application/vnd.dev.cosign.simplesigning.v1+json}, layer annotation {@code
   * dev.cosignproject.cosign/signature} = the base64 signature, plus e.g. {@code
   * dev.sigstore.cosign/certificate}, {@code dev.sigstore.cosign/chain}, {@code
   * dev.sigstore.cosign/bundle}), pkg/oci/mutate/signatures.go (the layer descriptors carry the
   * annotations; the config's rootfs.diff_ids are the layers' digests, since the layers are not
   * compressed). The manifest itself has no annotations.
   */
  public String pushCosignSignature(
      String repository,
      String digest,
      byte[] payload,
      String base64Signature,
      Map<String, String> extraAnnotations) {
    Map<String, String> annotations = new LinkedHashMap<>(extraAnnotations);
    annotations.put(COSIGN_SIGNATURE_ANNOTATION, base64Signature);
    return pushCosignTag(repository, digest, "sig", COSIGN_SIMPLESIGNING, payload, annotations);
  }

  /**
   * A cosign attestation as {@code cosign attest} (old format, tag scheme) writes it, tagged {@code
   * sha256-<hex>.att} (AttestationTagSuffix "att"): copied from cosign
   * cmd/cosign/cli/attest/attest.go (static.NewAttestation: the DSSE envelope is the layer,
   * mediaType {@code application/vnd.dsse.envelope.v1+json} = types.DssePayloadType, layer
   * annotations {@code predicateType} = the in-toto predicate type and {@code
   * dev.cosignproject.cosign/signature} = "", the signature being inside the envelope).
   */
  public String pushCosignAttestation(String repository, String digest, byte[] dsseEnvelopeJson) {
    String predicateType;
    try {
      JsonNode envelope = JSON.readTree(dsseEnvelopeJson);
      JsonNode statement =
          JSON.readTree(java.util.Base64.getDecoder().decode(envelope.path("payload").asText()));
      predicateType = statement.path("predicateType").asText();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a DSSE envelope of an in-toto statement", e);
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("predicateType", predicateType);
    annotations.put(COSIGN_SIGNATURE_ANNOTATION, "");
    return pushCosignTag(repository, digest, "att", DSSE_ENVELOPE, dsseEnvelopeJson, annotations);
  }

  private String pushCosignTag(
      String repository,
      String digest,
      String suffix,
      String layerMediaType,
      byte[] payload,
      Map<String, String> layerAnnotations) {
    String payloadDigest = pushBlob(repository, payload);
    // ggcr's empty.Image config with the layer appended (cosign records no creation time unless
    // asked): architecture and os empty, rootfs.diff_ids = the layer's digest
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", "");
    config.put("created", "0001-01-01T00:00:00Z");
    config.put("history", List.of(Map.of("created", "0001-01-01T00:00:00Z")));
    config.put("os", "");
    config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(payloadDigest)));
    config.put("config", Map.of());
    byte[] configBytes = json(config);
    String configDigest = pushBlob(repository, configBytes);
    Map<String, Object> layer = descriptor(layerMediaType, payloadDigest, payload.length);
    layer.put("annotations", layerAnnotations);
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OCI_MANIFEST);
    manifest.put("config", descriptor(OCI_CONFIG, configDigest, configBytes.length));
    manifest.put("layers", List.of(layer));
    return putManifest(repository, cosignTag(digest, suffix), OCI_MANIFEST, json(manifest));
  }

  /** cosign's tag for a digest: "sha256:hex" as "sha256-hex.suffix" (remote.go, normalize). */
  public static String cosignTag(String digest, String suffix) {
    return digest.replace(':', '-') + "." + suffix;
  }

  /** The OCI 1.1 referrers tag schema: "sha256:hex" as "sha256-hex" (ggcr fallbackTag). */
  public static String referrersTag(String digest) {
    return digest.replace(':', '-');
  }

  /**
   * A new-format Sigstore bundle attached as cosign 2.x/3.x {@code attest --new-bundle-format}
   * writes it: copied from cosign pkg/oci/remote/write.go (WriteAttestationNewBundleFormat,
   * WriteReferrer, referrerManifest): an OCI manifest with {@code artifactType}
   * application/vnd.dev.sigstore.bundle.v0.3+json, config {@code application/vnd.oci.empty.v1+json}
   * (the blob "{}", the config descriptor carrying the artifactType too), one layer of the bundle
   * with that media type, {@code subject} the image, manifest annotations {@code
   * org.opencontainers.image.created}, {@code dev.sigstore.bundle.content} = "dsse-envelope" and
   * {@code dev.sigstore.bundle.predicateType}; pushed by digest. On a registry without the
   * referrers API, go-containerregistry's remote.Put (pkg/v1/remote/write.go,
   * commitSubjectReferrers, fallbackTag) then adds a descriptor of it (mediaType, digest, size,
   * artifactType; no annotations) to the OCI index tagged {@code sha256-<hex>} of the subject
   * (sorted by digest), which is done here too. Returns the bundle manifest's digest.
   */
  public String pushSigstoreBundle(
      String repository, String subjectDigest, byte[] bundleJson, String predicateType) {
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    String emptyDigest = pushBlob(repository, empty);
    String bundleDigest = pushBlob(repository, bundleJson);
    HttpResponse<byte[]> subject = getManifest(repository, subjectDigest);
    String subjectType = subject.headers().firstValue("Content-Type").orElse(OCI_MANIFEST);

    Map<String, Object> config = descriptor(OCI_EMPTY, emptyDigest, empty.length);
    config.put("artifactType", SIGSTORE_BUNDLE_V03);
    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put("org.opencontainers.image.created", Instant.now().toString());
    annotations.put("dev.sigstore.bundle.content", "dsse-envelope");
    annotations.put("dev.sigstore.bundle.predicateType", predicateType);
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OCI_MANIFEST);
    manifest.put("config", config);
    manifest.put(
        "layers", List.of(descriptor(SIGSTORE_BUNDLE_V03, bundleDigest, bundleJson.length)));
    manifest.put("subject", descriptor(subjectType, subjectDigest, subject.body().length));
    manifest.put("annotations", annotations);
    manifest.put("artifactType", SIGSTORE_BUNDLE_V03);
    byte[] manifestBytes = json(manifest);
    String digest = putManifest(repository, null, OCI_MANIFEST, manifestBytes);

    // the referrers tag fallback
    String tag = referrersTag(subjectDigest);
    List<Map<String, Object>> entries = new ArrayList<>();
    HttpResponse<byte[]> existing = getManifest(repository, tag);
    if (existing.statusCode() == 200) {
      try {
        for (JsonNode entry : JSON.readTree(existing.body()).path("manifests")) {
          entries.add(JSON.convertValue(entry, LinkedHashMap.class));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, Object> added = descriptor(OCI_MANIFEST, digest, manifestBytes.length);
    added.put("artifactType", SIGSTORE_BUNDLE_V03);
    if (entries.stream().noneMatch(e -> digest.equals(e.get("digest")))) {
      entries.add(added);
    }
    entries.sort(Comparator.comparing(e -> (String) e.get("digest")));
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", OCI_INDEX);
    index.put("manifests", entries);
    putManifest(repository, tag, OCI_INDEX, json(index));
    return digest;
  }

  /** Monolithic upload: POST for an upload location, PUT the bytes with ?digest=. */
  public String pushBlob(String repository, byte[] bytes) {
    String digest = digest(bytes);
    HttpResponse<String> started =
        send(repository, "POST", path(repository, "/blobs/uploads/"), null, new byte[0]);
    if (started.statusCode() != 202) {
      throw new IllegalStateException("blob upload not started: " + started.statusCode());
    }
    URI location = uri().resolve(started.headers().firstValue("Location").orElseThrow());
    String put =
        location.toString() + (location.getRawQuery() == null ? "?" : "&") + "digest=" + digest;
    HttpResponse<String> done =
        send(repository, "PUT", URI.create(put), "application/octet-stream", bytes);
    if (done.statusCode() != 201) {
      throw new IllegalStateException("blob upload failed: " + done.statusCode() + done.body());
    }
    return digest;
  }

  /** PUT a manifest by tag, or by its digest when tag is null: the digest. */
  public String putManifest(String repository, String tag, String mediaType, byte[] bytes) {
    String digest = digest(bytes);
    HttpResponse<String> response =
        send(
            repository,
            "PUT",
            path(repository, "/manifests/" + (tag == null ? digest : tag)),
            mediaType,
            bytes);
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "manifest push failed: " + response.statusCode() + " " + response.body());
    }
    String sent = response.headers().firstValue("Docker-Content-Digest").orElse(digest);
    if (!sent.equals(digest)) {
      throw new IllegalStateException("the registry stored other bytes than pushed");
    }
    return digest;
  }

  private HttpResponse<byte[]> getManifest(String repository, String reference) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(path(repository, "/manifests/" + reference))
              .timeout(Duration.ofSeconds(10))
              .header("Accept", OCI_MANIFEST + ", " + OCI_INDEX);
      authorize(request, repository);
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private long manifestSize(String repository, String digest) {
    return getManifest(repository, digest).body().length;
  }

  private URI path(String repository, String rest) {
    return uri().resolve("/v2/" + repository + rest);
  }

  private HttpResponse<String> send(
      String repository, String method, URI uri, String contentType, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    authorize(request, repository);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** In token mode the fixture mints its own push token (not through the token server). */
  private void authorize(HttpRequest.Builder request, String repository) {
    if (user != null) {
      String jwt =
          mint(
              "fixture",
              List.of("repository:" + repository + ":pull,push,delete"),
              Duration.ofMinutes(1));
      request.header("Authorization", "Bearer " + jwt);
    }
  }

  private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mediaType", mediaType);
    d.put("digest", digest);
    d.put("size", size);
    return d;
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String digest(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A ustar archive of one regular file. */
  static byte[] tar(String name, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] header = new byte[512];
    put(header, 0, name, 100);
    put(header, 100, "0000644", 8);
    put(header, 108, "0000000", 8);
    put(header, 116, "0000000", 8);
    put(header, 124, String.format("%011o", content.length), 12);
    put(header, 136, String.format("%011o", 1_700_000_000L), 12);
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    header[156] = '0';
    put(header, 257, "ustar", 6);
    header[263] = '0';
    header[264] = '0';
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum), 7);
    header[155] = ' ';
    out.writeBytes(header);
    out.writeBytes(content);
    out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static void put(byte[] header, int offset, String value, int length) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, length));
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
