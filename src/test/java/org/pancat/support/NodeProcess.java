package org.pancat.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A real pancat node: the packaged application started as its own process, with its own port and
 * data directory, for tests of what survives restarts and crashes.
 */
public final class NodeProcess implements AutoCloseable {
  private final Path home;
  private static final Random RANDOM = new Random();
  private final int port;
  private final Map<String, String> env;
  private String database;
  private Process process;
  private int starts;
  private Duration startTimeout = Duration.ofSeconds(90);
  private Path jar =
      Path.of(System.getProperty("pancat.jar", "target/quarkus-app/quarkus-run.jar"));

  /**
   * A free port below the kernel's ephemeral range. A port the kernel hands out ({@code new
   * ServerSocket(0)}) can be taken, while its node is stopped for a fault test, by any outgoing
   * connection on the machine, and the node then cannot start again on it.
   */
  static int freePort() throws IOException {
    int ephemeralFloor = 32768;
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    if (Files.isReadable(range)) {
      // a /proc file reports size 0, so it is read by lines, not whole
      ephemeralFloor = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
    }
    if (ephemeralFloor < 2048) {
      throw new IOException("unexpected ephemeral port range starting at " + ephemeralFloor);
    }
    int low = Math.min(20000, ephemeralFloor / 2);
    for (int attempt = 0; attempt < 200; attempt++) {
      int candidate = low + RANDOM.nextInt(ephemeralFloor - low);
      try (ServerSocket socket = new ServerSocket(candidate)) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port below " + ephemeralFloor);
  }

  public NodeProcess(Path home, Map<String, String> extraEnv) throws IOException {
    this.home = home;
    this.port = freePort();
    env = new HashMap<>(extraEnv);
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("PANCAT_ACCESS_DEV_ISSUER_ENABLED", "true");
    database = TestDatabase.onPostgresql() ? "pancat_node_" + port : null;
    if (database != null) {
      // under deploy/with-postgresql.sh the packaged node is built for PostgreSQL: each node
      // keeps its state in a database of its own on that server, as its data directory is its own
      TestDatabase.create(database);
      env.put("QUARKUS_DATASOURCE_JDBC_URL", TestDatabase.url(database));
      env.put("QUARKUS_DATASOURCE_USERNAME", TestDatabase.user());
      env.put("QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password());
      // the demo content an embedded node loads on its first start (idempotent on later ones)
      env.putIfAbsent("PANCAT_CATALOGUE_DEMO_LOAD", "always");
    }
  }

  /**
   * Keeps this node on its embedded H2 database even under deploy/with-postgresql.sh (a bench node
   * served from a bulk-loaded H2 file, run by an H2 build).
   */
  public NodeProcess embeddedDatabase() {
    env.remove("QUARKUS_DATASOURCE_JDBC_URL");
    env.remove("QUARKUS_DATASOURCE_USERNAME");
    env.remove("QUARKUS_DATASOURCE_PASSWORD");
    database = null;
    return this;
  }

  /**
   * A backup of the stopped node: its data directory (keys, index, H2 files) and, on PostgreSQL, a
   * copy of its database.
   */
  public void backup(Path to) throws Exception {
    Files.createDirectories(to);
    copy(home.resolve("data"), to);
    if (database != null) {
      TestDatabase.copy(database, database + "_backup");
    }
  }

  /** Removes the stopped node's search index, so that its next start rebuilds it. */
  public void deleteSearchIndex() throws IOException {
    deleteRecursively(home.resolve("data/index"));
  }

  /** Puts the stopped node back to the state {@link #backup} saved. */
  public void restore(Path from) throws Exception {
    deleteRecursively(home.resolve("data"));
    copy(from, home.resolve("data"));
    if (database != null) {
      TestDatabase.copy(database + "_backup", database);
    }
  }

  /** Sets an environment variable for the next start (configuration of the node). */
  public NodeProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The exit code of the last start's process, once it has ended (waits for it). */
  public int exitCode() throws InterruptedException {
    return process.waitFor();
  }

  /** How long a start may take (a node rebuilding a large index needs longer). */
  public NodeProcess startTimeout(Duration timeout) {
    this.startTimeout = timeout;
    return this;
  }

  /** Runs another build of the application (one built for PostgreSQL, say) from the next start. */
  public NodeProcess jar(Path jar) {
    this.jar = jar;
    return this;
  }

  public NodeProcess start() throws Exception {
    starts++;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // e.g. -Dpancat.node.jvm-options=-XX:StartFlightRecording=filename=node-{start}.jfr to profile
    // a bench; {start} is the start's number, as in the log's name, so a restart keeps the first
    String jvmOptions =
        System.getProperty("pancat.node.jvm-options", "")
            .strip()
            .replace("{start}", String.valueOf(starts));
    if (!jvmOptions.isEmpty()) {
      command.addAll(List.of(jvmOptions.split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("node-" + starts + ".log").toFile());
    pb.environment().putAll(env);
    process = pb.start();
    awaitReady();
    return this;
  }

  /** Graceful stop (SIGTERM): shutdown hooks run. */
  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  /** Crash (SIGKILL): nothing gets to run. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** A JSON request to this node with {@code token} (a token of its dev issuer, say). */
  public RequestSpecification as(String token) {
    return RestAssured.given()
        .baseUri(baseUrl())
        .contentType(ContentType.JSON)
        .header("Authorization", "Bearer " + token);
  }

  /** A token of this node's dev issuer (its key is in the node's home), valid 30 minutes. */
  public String devToken(String subject, String facility, List<String> roles) {
    return Tokens.devAt(
        home.resolve("data/dev-issuer"),
        subject,
        facility,
        roles,
        List.of(),
        Duration.ofMinutes(30));
  }

  public Path home() {
    return home;
  }

  /**
   * Runs the packaged node's command line ({@code java -jar quarkus-run.jar ARGS}) in this node's
   * directory, as an operator would, and returns what it printed; fails on a non-zero exit.
   */
  public String command(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Process run =
        new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (run.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", args) + " failed:\n" + out);
    }
    return out;
  }

  public String log() throws IOException {
    return Files.readString(home.resolve("node-" + starts + ".log"));
  }

  private void awaitReady() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(startTimeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node exited during start:\n" + log());
      }
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("node not ready in " + startTimeout + ":\n" + log());
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
