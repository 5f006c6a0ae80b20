package org.pancat.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A real OpenID provider for the web sign-in tests: Keycloak's server distribution (unpacked by the
 * build into {@code keycloak.home}) started as its own process in dev mode on 127.0.0.1, on Temurin
 * 25 (Keycloak 26 needs Java 21 or later), with a realm {@value #REALM} generated for each start.
 * Stubbed tokens would prove nothing about the discovery document, PKCE, the login form or the
 * claims Keycloak's mappers really put in tokens; this does.
 *
 * <p>The realm has a confidential client {@value #WEB_CLIENT} (authorization-code flow only, PKCE
 * with S256 required, a secret new on each start), a public client {@value #CLI_CLIENT} with the
 * password grant for tests that need bearer tokens, and the users alice (facility esrf, group
 * esrf-staff, location esrf-campus), bob (facility desy), ada (facility esrf, role admin), gus
 * (facility esrf, 150 proposal groups) and pia (facility esrf, role publisher). Access and ID
 * tokens of both clients carry the audience {@value #AUDIENCE} and the claims {@code facility},
 * {@code groups} (names, not paths), {@code roles} (a list, from the multivalued user attribute)
 * and {@code location}, where the user has them. Those attributes are declared in the realm's user
 * profile (admin-only), as Keycloak 26 drops undeclared attributes.
 *
 * <p>Each start begins from a clean state (the distribution's {@code data} directory is removed
 * first); one server at a time may run from a distribution (a file lock says so). A start takes
 * about 40 s, and some 80 s more the first time after unpacking, when Keycloak rebuilds itself for
 * dev mode. Keycloak's output goes to {@code target/keycloak-<port>.log}; its tail is in the
 * exception when a start fails. The process is stopped on {@link #close} and, failing that, by a
 * JVM shutdown hook.
 */
public final class KeycloakServer implements AutoCloseable {
  public static final String REALM = "pan";
  public static final String WEB_CLIENT = "pancat-web";
  public static final String CLI_CLIENT = "pancat-cli";
  public static final String AUDIENCE = "pancat";

  /** The JDK Keycloak runs on; {@code -Dkeycloak.java.home} overrides it. */
  public static final Path DEFAULT_JAVA_HOME = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  /**
   * More time for the first start-dev of a freshly unpacked distribution: Keycloak then rebuilds
   * itself for the dev profile (about 80 s here) before it starts, and keeps that build in lib/.
   */
  private static final Duration REBUILD_TIMEOUT = Duration.ofSeconds(180);

  private static final String REBUILDING = "Updating the configuration and installing";
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom SECURE = new SecureRandom();

  private record User(
      String name,
      String password,
      String firstName,
      String lastName,
      String facility,
      List<String> groups,
      List<String> roles,
      String location) {}

  private static final Map<String, User> USERS =
      Stream.of(
              new User(
                  "alice",
                  "alice-pw-7Kq2",
                  "Alice",
                  "Archer",
                  "esrf",
                  List.of("esrf-staff"),
                  List.of(),
                  "esrf-campus"),
              new User("bob", "bob-pw-3Fz8", "Bob", "Baker", "desy", List.of(), List.of(), null),
              new User(
                  "ada", "ada-pw-9Lm4", "Ada", "Admin", "esrf", List.of(), List.of("admin"), null),
              new User(
                  "pia",
                  "pia-pw-5Tx6",
                  "Pia",
                  "Publisher",
                  "esrf",
                  List.of(),
                  List.of("publisher"),
                  null),
              // a beamline scientist in many proposal groups: her session needs several cookies
              new User(
                  "gus",
                  "gus-pw-2Wd5",
                  "Gus",
                  "Groups",
                  "esrf",
                  IntStream.range(0, 150)
                      .mapToObj(i -> "proposal-mx-" + (2400 + i) + "-beamline-id23")
                      .toList(),
                  List.of(),
                  null))
          .collect(
              Collectors.toMap(User::name, u -> u, (a, b) -> a, LinkedHashMap<String, User>::new));

  private final Path home;
  private final Path javaHome;
  private final List<String> webRedirectUris;
  private final String webClientSecret = randomSecret();
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private FileChannel lockChannel;
  private FileLock lock;
  private Process process;
  private Thread shutdownHook;
  private int port;
  private int managementPort;
  private Path log;
  private Duration startup;

  private KeycloakServer(Path home, Path javaHome, List<String> webRedirectUris) {
    this.home = home;
    this.javaHome = javaHome;
    this.webRedirectUris = List.copyOf(webRedirectUris);
  }

  /**
   * Starts Keycloak with a fresh realm {@value #REALM} whose web client accepts {@code
   * webRedirectUris} (e.g. {@code http://127.0.0.1:23456/*}) as redirect and post-logout redirect
   * URIs; returns once the realm's discovery document is served.
   */
  public static KeycloakServer start(List<String> webRedirectUris) {
    if (webRedirectUris.isEmpty()) {
      throw new IllegalArgumentException("the web client needs at least one redirect URI");
    }
    String property = System.getProperty("keycloak.home");
    if (property == null || property.isBlank()) {
      throw new IllegalStateException(
          "system property keycloak.home is not set: run the test through failsafe (./mvnw verify"
              + " unpacks Keycloak into target/keycloak and passes it), or pass"
              + " -Dkeycloak.home=<unpacked keycloak-quarkus-dist>");
    }
    Path home = Path.of(property).toAbsolutePath();
    if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
      throw new IllegalStateException(
          "no Keycloak distribution at keycloak.home="
              + home
              + ": ./mvnw verify unpacks it (or ./mvnw dependency:unpack@keycloak)");
    }
    Path javaHome = Path.of(System.getProperty("keycloak.java.home", DEFAULT_JAVA_HOME.toString()));
    if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
      throw new IllegalStateException(
          "Keycloak 26 needs Java 21 or later, expected at "
              + javaHome
              + " (Temurin 25; -Dkeycloak.java.home=<jdk> names another)");
    }
    KeycloakServer server = new KeycloakServer(home, javaHome, webRedirectUris);
    server.launch();
    return server;
  }

  // ---------------------------------------------------------------------------------------------
  // what tests use

  /** {@code http://127.0.0.1:<port>} */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String issuer() {
    return baseUrl() + "/realms/" + REALM;
  }

  public String jwksUrl() {
    return issuer() + "/protocol/openid-connect/certs";
  }

  public String tokenUrl() {
    return issuer() + "/protocol/openid-connect/token";
  }

  public String webClientId() {
    return WEB_CLIENT;
  }

  public String webClientSecret() {
    return webClientSecret;
  }

  public String cliClientId() {
    return CLI_CLIENT;
  }

  /** The users of the realm: alice, bob, ada, pia, gus. */
  public List<String> users() {
    return List.copyOf(USERS.keySet());
  }

  /** The fixed password of one of {@link #users}. */
  public String password(String user) {
    return user(user).password();
  }

  /** A raw access token (JWT) of the user, by the password grant on {@value #CLI_CLIENT}. */
  public String accessToken(String user) {
    return token(user, null, "access_token");
  }

  /** A raw ID token (JWT) of the user, by the password grant with scope openid. */
  public String idToken(String user) {
    return token(user, "openid", "id_token");
  }

  /**
   * The password grant on {@value #CLI_CLIENT} as it is answered, for tests of refusals (Keycloak
   * 26.7 answers a wrong password with 400 {@code invalid_grant}); {@code scope} may be null.
   */
  public HttpResponse<String> passwordGrant(String user, String password, String scope) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", CLI_CLIENT);
    form.put("username", user);
    form.put("password", password);
    if (scope != null) {
      form.put("scope", scope);
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(tokenUrl()))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(form)))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Keycloak's output of this start. */
  public Path log() {
    return log;
  }

  /** How long this start took, from launching kc.sh to the realm's discovery document. */
  public Duration startup() {
    return startup;
  }

  /** Stops Keycloak (SIGTERM, then SIGKILL after a few seconds) and waits for it. */
  @Override
  public void close() {
    stopProcess();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
      shutdownHook = null;
    }
    releaseLock();
  }

  // ---------------------------------------------------------------------------------------------
  // lifecycle

  private void launch() {
    try {
      acquireLock();
      IOException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        port = NodeProcess.freePort();
        do {
          managementPort = NodeProcess.freePort();
        } while (managementPort == port);
        prepareData();
        log = Path.of("target").toAbsolutePath().resolve("keycloak-" + port + ".log");
        Files.createDirectories(log.getParent());
        Instant began = Instant.now();
        process = processBuilder().start();
        if (shutdownHook == null) {
          shutdownHook = new Thread(this::stopProcess, "keycloak-server-stop");
          Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        try {
          awaitReady();
          startup = Duration.between(began, Instant.now());
          System.out.printf(
              "Keycloak ready at %s in %.1f s (log %s)%n",
              baseUrl(), startup.toMillis() / 1000.0, log);
          return;
        } catch (IOException e) {
          stopProcess();
          last = e;
          if (!logContains("Address already in use")) {
            break;
          }
          // a port taken between choosing it and Keycloak binding it: other ports
        }
      }
      throw last;
    } catch (IOException | RuntimeException e) {
      close();
      throw new IllegalStateException("Keycloak did not start: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while starting Keycloak", e);
    }
  }

  /** One Keycloak at a time per distribution: they would share its data directory. */
  private void acquireLock() throws IOException {
    lockChannel =
        FileChannel.open(
            home.resolve(".pancat-test.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException held) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      lockChannel = null;
      throw new IllegalStateException(
          "another KeycloakServer runs from " + home + ": close it before starting one");
    }
  }

  private void releaseLock() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException ignored) {
      // released with the channel or the JVM
    }
    lock = null;
    lockChannel = null;
  }

  /**
   * A clean data directory (no H2 database of an earlier start) holding only the realm to import.
   */
  private void prepareData() throws IOException {
    Path data = home.resolve("data");
    if (Files.exists(data)) {
      try (Stream<Path> files = Files.walk(data)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Path imports = Files.createDirectories(data.resolve("import"));
    JSON.writerWithDefaultPrettyPrinter()
        .writeValue(imports.resolve(REALM + "-realm.json").toFile(), realm());
  }

  private ProcessBuilder processBuilder() {
    ProcessBuilder pb =
        new ProcessBuilder(
                "/bin/sh",
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                "--http-management-port=" + managementPort,
                // the issuer is the same however Keycloak is reached
                "--hostname=" + baseUrl(),
                "--import-realm")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    // nothing of the caller's environment configures this Keycloak
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("KC_")
                    || k.startsWith("KEYCLOAK_")
                    || k.startsWith("JAVA_OPTS")
                    || k.startsWith("DEBUG"));
    env.put("JAVA_HOME", javaHome.toString());
    env.put("JAVA_OPTS_KC_HEAP", "-Xms256m -Xmx768m");
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", randomSecret());
    return pb;
  }

  private void awaitReady() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    Duration limit = START_TIMEOUT;
    boolean rebuilding = false;
    HttpRequest discovery =
        HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
            .timeout(Duration.ofSeconds(5))
            .build();
    while (Instant.now().isBefore(deadline)) {
      if (!rebuilding && logContains(REBUILDING)) {
        rebuilding = true;
        deadline = deadline.plus(REBUILD_TIMEOUT);
        limit = limit.plus(REBUILD_TIMEOUT);
      }
      if (!process.isAlive()) {
        throw new IOException(
            "kc.sh exited with " + process.exitValue() + "; the end of " + log + ":\n" + tail(log));
      }
      try {
        if (http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IOException(
        "realm "
            + REALM
            + " not served within "
            + limit.toSeconds()
            + " s"
            + (rebuilding ? " (with its first-start rebuild)" : "")
            + "; the end of "
            + log
            + ":\n"
            + tail(log));
  }

  private boolean logContains(String text) {
    try {
      return Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  private static String tail(Path log) {
    return Logs.tail(log, 4000);
  }

  private synchronized void stopProcess() {
    Process p = process;
    if (p == null) {
      return;
    }
    // kc.sh execs java, so this is Keycloak itself
    List<ProcessHandle> descendants = p.descendants().toList();
    p.destroy();
    try {
      if (!p.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
    process = null;
  }

  // ---------------------------------------------------------------------------------------------
  // tokens

  private String token(String user, String scope, String field) {
    HttpResponse<String> response = passwordGrant(user, password(user), scope);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "password grant for " + user + ": " + response.statusCode() + " " + response.body());
    }
    try {
      JsonNode token = JSON.readTree(response.body()).path(field);
      if (!token.isTextual()) {
        throw new IllegalStateException("no " + field + " in " + response.body());
      }
      return token.asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static User user(String name) {
    User user = USERS.get(name);
    if (user == null) {
      throw new IllegalArgumentException("no user " + name + " in realm " + REALM);
    }
    return user;
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static String randomSecret() {
    byte[] bytes = new byte[24];
    SECURE.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  // ---------------------------------------------------------------------------------------------
  // the realm (a RealmRepresentation as JSON)

  private Map<String, Object> realm() throws IOException {
    Map<String, Object> realm = new LinkedHashMap<>();
    realm.put("realm", REALM);
    realm.put("enabled", true);
    realm.put("displayName", "pancat test realm");
    realm.put("sslRequired", "none");
    realm.put("registrationAllowed", false);
    realm.put("resetPasswordAllowed", false);
    realm.put("rememberMe", false);
    realm.put("bruteForceProtected", false);
    // long enough for a slow test: Keycloak's default is 5 minutes
    realm.put("accessTokenLifespan", 900);
    realm.put(
        "groups",
        USERS.values().stream()
            .flatMap(u -> u.groups().stream())
            .distinct()
            .map(g -> Map.of("name", g))
            .toList());
    realm.put("users", USERS.values().stream().map(KeycloakServer::userJson).toList());
    realm.put("clients", List.of(webClient(), cliClient()));
    realm.put(
        "components",
        Map.of(
            "org.keycloak.userprofile.UserProfileProvider",
            List.of(
                Map.of(
                    "providerId",
                    "declarative-user-profile",
                    "subComponents",
                    Map.of(),
                    "config",
                    Map.of(
                        "kc.user.profile.config",
                        List.of(JSON.writeValueAsString(userProfile())))))));
    return realm;
  }

  private static Map<String, Object> userJson(User user) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("username", user.name());
    json.put("enabled", true);
    json.put("email", user.name() + "@pancat.test");
    json.put("emailVerified", true);
    json.put("firstName", user.firstName());
    json.put("lastName", user.lastName());
    json.put("requiredActions", List.of());
    json.put(
        "credentials",
        List.of(Map.of("type", "password", "value", user.password(), "temporary", false)));
    Map<String, List<String>> attributes = new LinkedHashMap<>();
    attributes.put("facility", List.of(user.facility()));
    if (!user.roles().isEmpty()) {
      attributes.put("roles", user.roles());
    }
    if (user.location() != null) {
      attributes.put("location", List.of(user.location()));
    }
    json.put("attributes", attributes);
    json.put("groups", user.groups().stream().map(g -> "/" + g).toList());
    return json;
  }

  /**
   * Keycloak's default user profile (keycloak-default-user-profile.json of 26.7) plus the
   * attributes the claims come from, which only admins see and edit (a user does not give themself
   * a role).
   */
  private static Map<String, Object> userProfile() {
    List<Map<String, Object>> attributes = new ArrayList<>();
    Map<String, Object> everyone =
        Map.of("view", List.of("admin", "user"), "edit", List.of("admin", "user"));
    Map<String, Object> required = Map.of("roles", List.of("user"));
    attributes.add(
        Map.of(
            "name",
            "username",
            "displayName",
            "${username}",
            "permissions",
            everyone,
            "validations",
            Map.of(
                "length",
                Map.of("min", 3, "max", 255),
                "username-prohibited-characters",
                Map.of(),
                "up-username-not-idn-homograph",
                Map.of())));
    attributes.add(
        Map.of(
            "name",
            "email",
            "displayName",
            "${email}",
            "required",
            required,
            "permissions",
            everyone,
            "validations",
            Map.of("email", Map.of(), "length", Map.of("max", 255))));
    for (String name : List.of("firstName", "lastName")) {
      attributes.add(
          Map.of(
              "name",
              name,
              "displayName",
              "${" + name + "}",
              "required",
              required,
              "permissions",
              everyone,
              "validations",
              Map.of("length", Map.of("max", 255), "person-name-prohibited-characters", Map.of())));
    }
    Map<String, Object> adminOnly = Map.of("view", List.of("admin"), "edit", List.of("admin"));
    for (String name : List.of("facility", "location", "roles")) {
      Map<String, Object> attribute = new LinkedHashMap<>();
      attribute.put("name", name);
      attribute.put("displayName", name);
      attribute.put("permissions", adminOnly);
      attribute.put("multivalued", name.equals("roles"));
      attributes.add(attribute);
    }
    return Map.of(
        "attributes",
        attributes,
        "groups",
        List.of(
            Map.of(
                "name",
                "user-metadata",
                "displayHeader",
                "User metadata",
                "displayDescription",
                "Attributes, which refer to user metadata")));
  }

  private Map<String, Object> webClient() {
    Map<String, Object> client = new LinkedHashMap<>();
    client.put("clientId", WEB_CLIENT);
    client.put("name", "pancat web sign-in");
    client.put("enabled", true);
    client.put("protocol", "openid-connect");
    client.put("publicClient", false);
    client.put("clientAuthenticatorType", "client-secret");
    client.put("secret", webClientSecret);
    client.put("standardFlowEnabled", true);
    client.put("implicitFlowEnabled", false);
    client.put("directAccessGrantsEnabled", false);
    client.put("serviceAccountsEnabled", false);
    client.put("redirectUris", webRedirectUris);
    client.put("webOrigins", List.of());
    client.put(
        "attributes",
        Map.of(
            "pkce.code.challenge.method",
            "S256",
            "post.logout.redirect.uris",
            String.join("##", webRedirectUris),
            "oauth2.device.authorization.grant.enabled",
            "false",
            "oidc.ciba.grant.enabled",
            "false"));
    client.put("protocolMappers", mappers());
    return client;
  }

  private static Map<String, Object> cliClient() {
    Map<String, Object> client = new LinkedHashMap<>();
    client.put("clientId", CLI_CLIENT);
    client.put("name", "pancat test tokens");
    client.put("enabled", true);
    client.put("protocol", "openid-connect");
    client.put("publicClient", true);
    client.put("standardFlowEnabled", false);
    client.put("implicitFlowEnabled", false);
    client.put("directAccessGrantsEnabled", true);
    client.put("serviceAccountsEnabled", false);
    client.put("protocolMappers", mappers());
    return client;
  }

  /** The mappers of both clients: the pancat audience and the claims pancat reads. */
  private static List<Map<String, Object>> mappers() {
    Map<String, Object> inTokens =
        Map.of(
            "access.token.claim",
            "true",
            "id.token.claim",
            "true",
            "userinfo.token.claim",
            "true",
            "introspection.token.claim",
            "true");
    List<Map<String, Object>> mappers = new ArrayList<>();
    Map<String, Object> audience = new LinkedHashMap<>(inTokens);
    audience.remove("userinfo.token.claim");
    audience.put("included.custom.audience", AUDIENCE);
    mappers.add(mapper("audience " + AUDIENCE, "oidc-audience-mapper", audience));
    for (String name : List.of("facility", "location", "roles")) {
      Map<String, Object> config = new LinkedHashMap<>(inTokens);
      config.put("user.attribute", name);
      config.put("claim.name", name);
      config.put("jsonType.label", "String");
      config.put("multivalued", name.equals("roles") ? "true" : "false");
      mappers.add(mapper(name, "oidc-usermodel-attribute-mapper", config));
    }
    Map<String, Object> groups = new LinkedHashMap<>(inTokens);
    groups.put("claim.name", "groups");
    groups.put("full.path", "false");
    mappers.add(mapper("groups", "oidc-group-membership-mapper", groups));
    return mappers;
  }

  private static Map<String, Object> mapper(String name, String type, Map<String, Object> config) {
    return Map.of(
        "name", name, "protocol", "openid-connect", "protocolMapper", type, "config", config);
  }
}
