package org.pancat.support;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A real signed APT repository, built in the test: a fresh OpenPGP key (gpg, in a temporary
 * GNUPGHOME), .deb files built with dpkg-deb, published with reprepro (which signs the InRelease)
 * and served over HTTP on 127.0.0.1. Needs gpg, gpgconf, dpkg-deb and reprepro on the PATH.
 */
public final class AptRepositoryFixture implements AutoCloseable {
  /**
   * One package to build; description: the synopsis, optionally followed by "\n" and long lines.
   */
  public record PackageSpec(
      String name,
      String version,
      String source,
      String homepage,
      String section,
      String architecture,
      String description) {}

  /**
   * How the repository is made.
   *
   * @param validFor reprepro's ValidFor (e.g. "1d"), or null for no Valid-Until
   * @param keyAlgorithm gpg's algorithm for the signing key: "ed25519", "rsa3072", ...
   * @param digestAlgorithm gpg's digest-algo for the signature ("SHA256", "SHA512"), or null for
   *     gpg's choice
   */
  public record Options(String validFor, String keyAlgorithm, String digestAlgorithm) {
    public static Options defaults() {
      return new Options(null, "ed25519", null);
    }
  }

  public static final String MAINTAINER = "pancat test archive <archive@pancat.invalid>";
  public static final List<String> ARCHITECTURES = List.of("amd64", "arm64");

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
  private static final AtomicInteger DEB_COUNTER = new AtomicInteger();

  private final Path dir;
  private final Path gnupgHome;
  private final Path root;
  private final String suite;
  private final String fingerprint;
  private final String armoredKey;
  private final HttpServer server;
  private final ExecutorService serverThreads;
  private volatile Duration delay = Duration.ZERO;
  private volatile boolean chunked;

  private AptRepositoryFixture(
      Path dir, Path gnupgHome, String suite, String fingerprint, String armoredKey)
      throws IOException {
    this.dir = dir;
    this.gnupgHome = gnupgHome;
    this.root = dir.resolve("repo");
    this.suite = suite;
    this.fingerprint = fingerprint;
    this.armoredKey = armoredKey;
    this.serverThreads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "apt-fixture-http");
              t.setDaemon(true);
              return t;
            });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(serverThreads);
    server.createContext("/", this::serve);
  }

  public static AptRepositoryFixture build(String suite, List<PackageSpec> packages) {
    return build(suite, packages, Options.defaults());
  }

  public static AptRepositoryFixture build(
      String suite, List<PackageSpec> packages, Options options) {
    Path dir = null;
    Path gnupgHome = null;
    try {
      // short: gpg-agent's socket lives in GNUPGHOME when /run/user/<uid> is absent
      dir = Files.createTempDirectory(Path.of("/tmp"), "apt");
      gnupgHome = newGnupgHome(dir);
      if (options.digestAlgorithm() != null) {
        Files.writeString(
            gnupgHome.resolve("gpg.conf"), "digest-algo " + options.digestAlgorithm() + "\n");
      }
      String fingerprint = generateKey(gnupgHome, options.keyAlgorithm());
      String armored =
          run(gnupgHome, dir, List.of("gpg", "--batch", "--armor", "--export", fingerprint));
      AptRepositoryFixture fixture =
          new AptRepositoryFixture(dir, gnupgHome, suite, fingerprint, armored);
      Files.createDirectories(fixture.root.resolve("conf"));
      StringBuilder distributions =
          new StringBuilder()
              .append("Origin: pancat-test\n")
              .append("Label: pancat-test\n")
              .append("Codename: ")
              .append(suite)
              .append('\n')
              .append("Suite: ")
              .append(suite)
              .append('\n')
              .append("Architectures: ")
              .append(String.join(" ", ARCHITECTURES))
              .append('\n')
              .append("Components: main\n")
              .append("Description: pancat test archive\n")
              .append("SignWith: ")
              .append(fingerprint)
              .append('\n');
      if (options.validFor() != null) {
        distributions.append("ValidFor: ").append(options.validFor()).append('\n');
      }
      Files.writeString(fixture.root.resolve("conf/distributions"), distributions);
      fixture.include(packages);
      fixture.server.start();
      return fixture;
    } catch (IOException e) {
      cleanUp(dir, gnupgHome);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      cleanUp(dir, gnupgHome);
      throw e;
    }
  }

  /**
   * The armoured public key of a fresh ed25519 key (made and thrown away here): a key that is not
   * this archive's.
   */
  public static String freshArmoredKey() {
    Path dir = null;
    Path home = null;
    try {
      dir = Files.createTempDirectory(Path.of("/tmp"), "apk");
      home = newGnupgHome(dir);
      String fpr = generateKey(home, "ed25519");
      return run(home, dir, List.of("gpg", "--batch", "--armor", "--export", fpr));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      cleanUp(dir, home);
    }
  }

  /**
   * The 250 packages of Debian's PaN blend (src/test/resources/harvest/debian_pan_packages.csv).
   */
  public static List<PackageSpec> debianPanPackages() {
    try (InputStream in =
        AptRepositoryFixture.class.getResourceAsStream("/harvest/debian_pan_packages.csv")) {
      if (in == null) {
        throw new IllegalStateException("harvest/debian_pan_packages.csv is not on the classpath");
      }
      CsvMapper mapper = new CsvMapper();
      MappingIterator<Map<String, String>> rows =
          mapper
              .readerForMapOf(String.class)
              .with(CsvSchema.emptySchema().withHeader())
              .readValues(in);
      List<PackageSpec> specs = new ArrayList<>();
      while (rows.hasNext()) {
        Map<String, String> row = rows.next();
        String section = row.get("section");
        String architecture =
            Set.of("doc", "metapackages", "python", "tex").contains(section) ? "all" : "amd64";
        specs.add(
            new PackageSpec(
                row.get("package"),
                row.get("version"),
                row.get("source"),
                emptyToNull(row.get("homepage")),
                section,
                architecture,
                row.get("description")));
      }
      return specs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  public String suite() {
    return suite;
  }

  public String armoredKey() {
    return armoredKey;
  }

  /** The signing key's fingerprint, upper-case hex as gpg prints it. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The repository's directory (conf/, db/, dists/, pool/), served at {@link #baseUrl()}. */
  public Path root() {
    return root;
  }

  /** The directory of the suite's indices: {@code root()/dists/<suite>}. */
  public Path dists() {
    return root.resolve("dists").resolve(suite);
  }

  /** Builds and includes more packages; reprepro exports and signs the indices again. */
  public void addPackages(List<PackageSpec> packages) {
    include(packages);
  }

  /** Changes one byte of the InRelease's signed text and keeps its signature. */
  public void tamperInRelease() {
    Path inRelease = dists().resolve("InRelease");
    String text = read(inRelease);
    String changed = text.replaceFirst("Origin: pancat-test", "Origin: pancat-tesu");
    if (changed.equals(text)) {
      throw new IllegalStateException("the InRelease has no Origin line to tamper with");
    }
    write(inRelease, changed.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Serves the unsigned Release text as the InRelease. */
  public void replaceInReleaseUnsigned() {
    try {
      Files.copy(
          dists().resolve("Release"),
          dists().resolve("InRelease"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Changes a byte of the component's and architecture's Packages and writes Packages.gz from it
   * again: neither matches the sha256 the InRelease lists any more.
   */
  public void corruptPackagesIndex(String component, String arch) {
    Path index = dists().resolve(component).resolve("binary-" + arch);
    Path packages = index.resolve("Packages");
    String text = read(packages);
    int at = text.indexOf("Package: ");
    if (at < 0) {
      throw new IllegalStateException(
          "the Packages index of " + component + "/" + arch + " is empty");
    }
    int c = at + "Package: ".length();
    char replacement = text.charAt(c) == 'z' ? 'y' : 'z';
    String changed = text.substring(0, c) + replacement + text.substring(c + 1);
    byte[] bytes = changed.getBytes(StandardCharsets.ISO_8859_1);
    write(packages, bytes);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(index.resolve("Packages.gz"), gz.toByteArray());
  }

  /**
   * Makes a copy of the suite's indices under another name, dists/<alias>/ (signed for suite()).
   */
  public void serveSuiteAs(String alias) {
    Path target = root.resolve("dists").resolve(alias);
    try (Stream<Path> files = Files.walk(dists())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(dists().relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text cleartext-signed by gpg with the archive key (as reprepro signs an InRelease). */
  public String clearsign(String text) {
    try {
      Path in = Files.createTempFile(dir, "msg", ".txt");
      Files.writeString(in, text);
      run(
          gnupgHome,
          dir,
          List.of(
              "gpg",
              "--batch",
              "--yes",
              "--local-user",
              fingerprint,
              "--clearsign",
              in.toString()));
      Path signed = Path.of(in + ".asc");
      String result = Files.readString(signed, StandardCharsets.ISO_8859_1);
      Files.delete(in);
      Files.delete(signed);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every answer waits this long before its headers are sent. */
  public void delayResponses(Duration delay) {
    this.delay = delay;
  }

  /** Answers without Content-Length (chunked) when set. */
  public void chunkedResponses(boolean chunked) {
    this.chunked = chunked;
  }

  @Override
  public void close() {
    server.stop(0);
    serverThreads.shutdownNow();
    cleanUp(dir, gnupgHome);
  }

  private void include(List<PackageSpec> packages) {
    if (packages.isEmpty()) {
      // exports the (empty) indices, signed
      run(gnupgHome, root, List.of("reprepro", "-b", root.toString(), "export", suite));
      return;
    }
    Path debs;
    try {
      debs = Files.createDirectories(dir.resolve("debs-" + DEB_COUNTER.incrementAndGet()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> files = buildDebs(debs, packages);
    List<String> command = new ArrayList<>(List.of("reprepro", "-b", root.toString()));
    command.addAll(List.of("includedeb", suite));
    command.addAll(files);
    run(gnupgHome, root, command);
    deleteTree(debs);
  }

  private static List<String> buildDebs(Path debs, List<PackageSpec> packages) {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> built = new ArrayList<>();
      for (int i = 0; i < packages.size(); i++) {
        PackageSpec spec = packages.get(i);
        Path stage = debs.resolve("stage-" + i);
        Path deb = debs.resolve("p" + i + ".deb");
        built.add(pool.submit(() -> buildDeb(spec, stage, deb)));
      }
      List<String> files = new ArrayList<>();
      for (Future<String> f : built) {
        files.add(f.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      }
      return files;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building .deb files", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("building the .deb files failed", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static String buildDeb(PackageSpec spec, Path stage, Path deb) throws IOException {
    Path doc = stage.resolve("usr/share/doc").resolve(spec.name());
    Files.createDirectories(doc);
    Files.createDirectories(stage.resolve("DEBIAN"));
    Files.writeString(doc.resolve("README.pancat"), spec.name() + " " + spec.version() + "\n");
    Files.writeString(stage.resolve("DEBIAN/control"), control(spec));
    run(
        null,
        stage.getParent(),
        List.of(
            "dpkg-deb",
            "--root-owner-group",
            "-Zgzip",
            "-z1",
            "--build",
            stage.toString(),
            deb.toString()));
    deleteTree(stage);
    return deb.toString();
  }

  static String control(PackageSpec spec) {
    String[] description = spec.description().split("\n", -1);
    StringBuilder c = new StringBuilder();
    field(c, "Package", spec.name());
    field(c, "Version", spec.version());
    field(c, "Architecture", spec.architecture());
    field(c, "Maintainer", MAINTAINER);
    field(c, "Section", spec.section());
    field(c, "Priority", "optional");
    if (spec.homepage() != null) {
      field(c, "Homepage", spec.homepage());
    }
    if (spec.source() != null && !spec.source().equals(spec.name())) {
      field(c, "Source", spec.source());
    }
    field(c, "Description", description[0]);
    if (description.length > 1) {
      for (int i = 1; i < description.length; i++) {
        c.append(' ').append(description[i].isBlank() ? "." : description[i]).append('\n');
      }
    } else {
      c.append(" ").append(spec.name()).append(" is a package of the pancat test archive.\n");
      c.append(" .\n");
      c.append(" Its metadata comes from Debian's package index.\n");
    }
    return c.toString();
  }

  private static void field(StringBuilder c, String name, String value) {
    if (value == null || value.isBlank() || value.contains("\n")) {
      throw new IllegalArgumentException(name + " must be one non-empty line: " + value);
    }
    c.append(name).append(": ").append(value).append('\n');
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Duration wait = delay;
      if (!wait.isZero()) {
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      String path = exchange.getRequestURI().getPath();
      Path file = root.resolve(path.substring(1)).normalize();
      if (!"GET".equals(exchange.getRequestMethod())
          || !file.startsWith(root)
          || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(file);
      exchange.sendResponseHeaders(200, chunked ? 0 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      } catch (IOException e) {
        // the client stopped reading (a body over its limit): nothing to do
      }
    }
  }

  private static Path newGnupgHome(Path dir) throws IOException {
    return Files.createDirectory(
        dir.resolve("g"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  private static String generateKey(Path gnupgHome, String algorithm) {
    run(
        gnupgHome,
        gnupgHome,
        List.of(
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "pancat test archive <archive@pancat.invalid>",
            algorithm,
            "sign",
            "never"));
    String listing =
        run(gnupgHome, gnupgHome, List.of("gpg", "--batch", "--with-colons", "--list-keys"));
    return listing
        .lines()
        .filter(l -> l.startsWith("fpr:"))
        .map(l -> l.split(":")[9])
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("gpg made no key: " + listing));
  }

  /** Runs a command (GNUPGHOME set when given), returns its standard output. */
  private static String run(Path gnupgHome, Path workDir, List<String> command) {
    try {
      Path out = Files.createTempFile(workDir, "out", ".txt");
      Path err = Files.createTempFile(workDir, "err", ".txt");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (gnupgHome != null) {
          pb.environment().put("GNUPGHOME", gnupgHome.toString());
        }
        Process process = pb.start();
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(command.get(0) + " did not finish in time");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              String.join(" ", command.subList(0, Math.min(4, command.size())))
                  + " failed ("
                  + process.exitValue()
                  + "): "
                  + Files.readString(err)
                  + Files.readString(out));
        }
        return Files.readString(out);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  private static void cleanUp(Path dir, Path gnupgHome) {
    if (gnupgHome != null && Files.isDirectory(gnupgHome)) {
      try {
        run(gnupgHome, gnupgHome, List.of("gpgconf", "--kill", "gpg-agent"));
      } catch (RuntimeException e) {
        // no agent was started, or it is gone: the directory goes anyway
      }
    }
    if (dir != null) {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
