package org.pancat.access;

import com.nimbusds.jwt.JWTClaimsSet;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pancat.problem.ProblemException;

/**
 * The development sign-in: a session of the embedded dev issuer for any subject, facility and
 * roles, for trying the web pages on one's own machine. It cannot be switched on by accident on a
 * node others reach: the node refuses to start with it unless it listens on loopback only, and it
 * serves only loopback callers whose request came through no proxy.
 */
@ApplicationScoped
@Startup
public class DevSignIn {
  /** The cookie holding the session: a dev issuer token, verified on every request. */
  public static final String COOKIE = "__Host-pancat-dev-session";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
  private static final Pattern FACILITY = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Set<String> ROLES = Set.of(Principal.ROLE_PUBLISHER, Principal.ROLE_ADMIN);

  /** Headers a reverse proxy adds: a request with one did not come from this machine's user. */
  private static final List<String> PROXY_HEADERS =
      List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP", "Via");

  /** The file, in the dev issuer's key directory, that holds this start's sign-in code. */
  public static final String CODE_FILE = "sign-in-code";

  private static final Logger LOG = Logger.getLogger(DevSignIn.class);

  private final AccessConfig.DevIssuer config;
  private final boolean enabled;
  private final String code;

  DevSignIn(AccessConfig access, @ConfigProperty(name = "quarkus.http.host") String httpHost) {
    this.config = access.devIssuer();
    this.enabled = config.signIn();
    if (enabled && !config.enabled()) {
      throw new IllegalStateException(
          "pancat.access.dev-issuer.sign-in needs pancat.access.dev-issuer.enabled=true");
    }
    if (enabled && !isLoopback(httpHost)) {
      throw new IllegalStateException(
          "pancat.access.dev-issuer.sign-in lets anyone sign in as anyone: it runs only on a node"
              + " bound to loopback (quarkus.http.host=127.0.0.1), not on "
              + httpHost);
    }
    this.code = enabled ? writeCode(Path.of(config.keyDir())) : null;
  }

  /**
   * A new code for each start, readable only by whoever may read the key directory: a proxy that
   * forwards to loopback without saying so does not make the sign-in usable from elsewhere.
   */
  private static String writeCode(Path dir) {
    byte[] random = new byte[15];
    new SecureRandom().nextBytes(random);
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path file = dir.resolve(CODE_FILE);
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(file);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(file, code + "\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the development sign-in code to " + file, e);
    }
    LOG.infof("development sign-in is on; its code for this start is in %s", file);
    return code;
  }

  /** Whether {@code offered} is this start's sign-in code. */
  public boolean isCode(String offered) {
    return enabled
        && offered != null
        && MessageDigest.isEqual(
            code.getBytes(StandardCharsets.US_ASCII),
            offered.strip().getBytes(StandardCharsets.US_ASCII));
  }

  public boolean enabled() {
    return enabled;
  }

  /**
   * Whether a request may use the development sign-in: from loopback, to a loopback name (a page of
   * another site that renamed itself to 127.0.0.1 by DNS does not count), through no proxy.
   */
  public boolean servesRequestFrom(
      String remoteAddress, String hostHeader, Set<String> headerNames) {
    return enabled
        && isLoopback(remoteAddress)
        && hostHeader != null
        && isLoopback(hostHeader.replaceFirst(":\\d+$", ""))
        && PROXY_HEADERS.stream()
            .noneMatch(h -> headerNames.stream().anyMatch(n -> n.equalsIgnoreCase(h)));
  }

  /** A session token for the chosen identity; the form's values are checked here. */
  public String session(String subject, String facility, List<String> roles, List<String> groups) {
    if (subject == null || !NAME.matcher(subject).matches()) {
      throw ProblemException.invalid("subject", "must be a name of letters, digits and ._@-");
    }
    Optional<String> home = Optional.ofNullable(facility).filter(f -> !f.isBlank());
    if (home.isPresent() && !FACILITY.matcher(home.get()).matches()) {
      throw ProblemException.invalid("facility", "must be a facility id");
    }
    List<String> chosenRoles =
        roles == null ? List.of() : roles.stream().filter(r -> !r.isBlank()).toList();
    if (!ROLES.containsAll(chosenRoles)) {
      throw ProblemException.invalid("roles", "must be among " + ROLES.stream().sorted().toList());
    }
    List<String> chosenGroups =
        groups == null ? List.of() : groups.stream().filter(g -> !g.isBlank()).toList();
    if (chosenGroups.size() > 20
        || !chosenGroups.stream().allMatch(g -> NAME.matcher(g).matches())) {
      throw ProblemException.invalid(
          "groups", "must be at most 20 names of letters, digits and ._@-");
    }
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .subject(subject)
            .claim("roles", List.copyOf(chosenRoles))
            .claim("groups", chosenGroups);
    home.ifPresent(f -> claims.claim("facility", f));
    return DevIssuer.mint(config, claims, config.sessionLifetime());
  }

  /** The session cookie's {@code Set-Cookie} value; {@code null} clears it. */
  public String cookie(String session) {
    return COOKIE
        + "="
        + (session == null ? "" : session)
        + "; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age="
        + (session == null ? 0 : config.sessionLifetime().toSeconds());
  }

  private static boolean isLoopback(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    if (host.equals("localhost")) {
      return true;
    }
    String literal =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false; // a name other than localhost would need a lookup that could say anything
    }
    try {
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
