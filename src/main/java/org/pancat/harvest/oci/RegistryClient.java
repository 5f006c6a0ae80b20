package org.pancat.harvest.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pancat.harvest.http.BoundedBody;

/**
 * A client of one OCI Distribution registry (Docker Registry HTTP API v2): catalog, tags,
 * manifests, blobs and the referrers API, with the bearer-token flow of Distribution, Harbor and
 * GitLab.
 *
 * <p>Every answer is read bounded (at most {@code maxBytes}, cancelled past it) within the timeout;
 * every manifest and blob is checked against its sha256 digest. Redirects are followed by this
 * client (blob downloads are redirected to object storage), never with the registry's Authorization
 * header to another host, so the given {@link HttpClient} must not follow redirects itself.
 * Credentials are sent only over https or to a loopback host; tokens and passwords never appear in
 * a {@link RegistryRefused}.
 *
 * <p>Thread-safe: tokens are cached per scope in a concurrent map.
 */
public final class RegistryClient {
  public static final String ACCEPT_MANIFESTS =
      String.join(
          ", ",
          Manifest.OCI_INDEX,
          Manifest.OCI_MANIFEST,
          Manifest.DOCKER_LIST,
          Manifest.DOCKER_MANIFEST);

  static final Pattern REPOSITORY =
      Pattern.compile(
          // as the distribution spec names repositories: separators ., _, __ or any run of -
          "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
  static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern LINK_NEXT =
      Pattern.compile("<([^>]*)>\\s*;(?:[^,]*?;)?\\s*rel=\"?next\"?", Pattern.CASE_INSENSITIVE);
  private static final Pattern CHALLENGE_PARAM =
      Pattern.compile("([A-Za-z_]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s,\"]*))");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** At most this many pages of a catalog or a tag list are read. */
  static final int MAX_PAGES = 10_000;

  private static final int MAX_REDIRECTS = 5;
  private static final int DEFAULT_PAGE_SIZE = 100;
  private static final long ERROR_BODY_LIMIT = 64 * 1024;
  private static final long DEFAULT_TOKEN_SECONDS = 60;

  private final URI registry;
  private final RegistryCredentials credentials;
  private Predicate<String> hostAllowed = host -> true;
  private final HttpClient http;
  private final Duration timeout;
  private final long maxBytes;
  private final ObjectMapper json =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();
  private volatile boolean basicAsked;
  private volatile int pageSize = DEFAULT_PAGE_SIZE;
  private Clock clock = Clock.systemUTC();

  private record CachedToken(String token, Instant expires) {}

  private record Answer(int status, HttpHeaders headers, byte[] body, URI uri) {
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  /**
   * @param registry the registry's base, {@code https://host[:port]} (a path is ignored; plain http
   *     only makes sense for a loopback registry)
   * @param credentialsOrNull null for anonymous access
   * @param http must not follow redirects ({@link HttpClient.Redirect#NEVER}): this client does
   * @param timeout for each request, headers and body
   * @param maxBytes the most any one answer may hold
   */
  public RegistryClient(
      URI registry,
      RegistryCredentials credentialsOrNull,
      HttpClient http,
      Duration timeout,
      long maxBytes) {
    Objects.requireNonNull(registry, "registry");
    String scheme =
        registry.getScheme() == null ? "" : registry.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("a registry is reached over https or http");
    }
    if (registry.getHost() == null || registry.getRawUserInfo() != null) {
      throw new IllegalArgumentException("a registry URI is scheme://host[:port]");
    }
    if (http.followRedirects() != HttpClient.Redirect.NEVER) {
      throw new IllegalArgumentException(
          "the HttpClient must not follow redirects: the registry client follows them itself, "
              + "without the registry's credentials on another host");
    }
    if (timeout.isNegative() || timeout.isZero() || maxBytes <= 0) {
      throw new IllegalArgumentException("timeout and maxBytes must be positive");
    }
    try {
      this.registry =
          new URI(scheme, null, registry.getHost(), registry.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a registry URI", e);
    }
    this.credentials = credentialsOrNull;
    this.http = http;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  /** Entries asked for per page of a catalog or tag list ({@code n=}); 100 unless set. */
  /**
   * Only hosts this allows are read, redirects and token services included (the operator's list of
   * allowed hosts).
   */
  public RegistryClient onlyHosts(Predicate<String> allowed) {
    this.hostAllowed = allowed;
    return this;
  }

  public RegistryClient pageSize(int entries) {
    if (entries < 1 || entries > 10_000) {
      throw new IllegalArgumentException("page size from 1 to 10000");
    }
    this.pageSize = entries;
    return this;
  }

  /** For tests of token expiry. */
  RegistryClient clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** host[:port] as it appears in an image reference. */
  public String host() {
    return registry.getPort() == -1
        ? registry.getHost()
        : registry.getHost() + ":" + registry.getPort();
  }

  // ---------------------------------------------------------------------------------------------
  // the API

  /** Every repository of the catalog ({@code GET /v2/_catalog}, paged). */
  public List<String> catalog() throws RegistryRefused {
    return paged(
        "/v2/_catalog",
        "registry:catalog:*",
        "repositories",
        REPOSITORY,
        "the registry offers no catalog");
  }

  /** Every tag of a repository ({@code GET /v2/<name>/tags/list}, paged). */
  public List<String> tags(String repository) throws RegistryRefused {
    checkRepository(repository);
    return paged(
        "/v2/" + repository + "/tags/list",
        pullScope(repository),
        "tags",
        TAG,
        "repository " + repository + " not found");
  }

  /**
   * The digest of a tag (or a digest, confirmed), from a HEAD of its manifest; empty when the
   * registry has no such manifest (a tag gone).
   */
  public Optional<String> headDigest(String repository, String tagOrDigest) throws RegistryRefused {
    checkRepository(repository);
    checkReference(tagOrDigest);
    URI uri = url("/v2/" + repository + "/manifests/" + tagOrDigest);
    Answer answer = exchange("HEAD", uri, ACCEPT_MANIFESTS, pullScope(repository), 0);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    expectOk(answer, "the manifest " + repository + ":" + tagOrDigest);
    Optional<String> sent = answer.header("Docker-Content-Digest");
    if (sent.isPresent()) {
      if (!DIGEST.matcher(sent.get()).matches()) {
        throw new RegistryRefused("the registry answered with a digest that is not sha256");
      }
      if (isDigest(tagOrDigest) && !sent.get().equals(tagOrDigest)) {
        throw new RegistryRefused("the registry's manifest does not match its digest");
      }
      return sent;
    }
    // some registries omit the header on HEAD: the digest of the bytes a GET serves
    return Optional.of(manifest(repository, tagOrDigest).digest());
  }

  /**
   * A manifest or index, its bytes checked: against the digest when asked by digest, and against
   * the registry's Docker-Content-Digest when it sends one.
   */
  public Manifest manifest(String repository, String tagOrDigest) throws RegistryRefused {
    checkRepository(repository);
    checkReference(tagOrDigest);
    URI uri = url("/v2/" + repository + "/manifests/" + tagOrDigest);
    Answer answer = exchange("GET", uri, ACCEPT_MANIFESTS, pullScope(repository), maxBytes);
    if (answer.status() == 404) {
      throw new RegistryRefused("manifest " + repository + ":" + tagOrDigest + " not found");
    }
    expectOk(answer, "the manifest " + repository + ":" + tagOrDigest);
    return manifestOf(
        json,
        repository,
        tagOrDigest,
        answer.header("Docker-Content-Digest").orElse(null),
        answer.header("Content-Type").orElse(null),
        answer.body());
  }

  /**
   * The checks on a manifest's bytes (package-visible so they can be tested against bytes a real
   * registry would not serve).
   *
   * @param asked the tag or digest asked for
   * @param sentDigest the registry's Docker-Content-Digest, or null
   * @param contentType the registry's Content-Type, or null
   */
  static Manifest manifestOf(
      ObjectMapper json,
      String repository,
      String asked,
      String sentDigest,
      String contentType,
      byte[] bytes)
      throws RegistryRefused {
    String digest = sha256(bytes);
    if (isDigest(asked) && !asked.equals(digest)) {
      throw new RegistryRefused("the registry's manifest does not match its digest");
    }
    if (sentDigest != null && !sentDigest.isBlank() && !sentDigest.trim().equals(digest)) {
      throw new RegistryRefused("the registry's manifest does not match its digest");
    }
    JsonNode tree = parseObject(json, bytes, "manifest " + repository + ":" + asked);
    String mediaType = tree.path("mediaType").asText("");
    if (mediaType.isEmpty() && contentType != null) {
      mediaType = contentType.split(";", 2)[0].trim();
    }
    if (tree.path("schemaVersion").asInt(0) != 2) {
      throw new RegistryRefused(
          "manifest " + repository + ":" + asked + " is not of schema version 2");
    }
    return new Manifest(repository, digest, mediaType, bytes, tree);
  }

  /** A blob, following redirects, its sha256 checked; at most maxBytes (and the client's). */
  public byte[] blob(String repository, String digest, long maxBytes) throws RegistryRefused {
    checkRepository(repository);
    checkDigest(digest);
    long limit = Math.min(maxBytes, this.maxBytes);
    URI uri = url("/v2/" + repository + "/blobs/" + digest);
    Answer answer = exchange("GET", uri, "*/*", pullScope(repository), limit);
    if (answer.status() == 404) {
      throw new RegistryRefused("blob " + digest + " of " + repository + " not found");
    }
    expectOk(answer, "the blob " + digest + " of " + repository);
    if (!sha256(answer.body()).equals(digest)) {
      throw new RegistryRefused("the registry's blob does not match its digest");
    }
    return answer.body();
  }

  /** An image's config JSON (labels at {@code config.Labels}). */
  public JsonNode config(String repository, Descriptor config) throws RegistryRefused {
    if (config.size() > maxBytes) {
      throw new RegistryRefused("the image config is larger than " + maxBytes + " bytes");
    }
    long limit = config.size() > 0 ? config.size() : maxBytes;
    byte[] bytes = blob(repository, config.digest(), limit);
    if (config.size() > 0 && bytes.length != config.size()) {
      throw new RegistryRefused("the image config is not of the size its manifest says");
    }
    return parseObject(json, bytes, "the image config of " + repository);
  }

  /**
   * The referrers of a manifest ({@code GET /v2/<name>/referrers/<digest>}), or empty when the
   * registry has no referrers API (404, 405, 400, 406 or an answer that is not an OCI index): the
   * caller then looks at cosign's tags ({@code sha256-<hex>.sig}, {@code .att}) and at the
   * referrers tag {@code sha256-<hex>}.
   */
  public Optional<List<Descriptor>> referrers(String repository, String digest)
      throws RegistryRefused {
    checkRepository(repository);
    checkDigest(digest);
    URI uri = url("/v2/" + repository + "/referrers/" + digest);
    Answer answer = exchange("GET", uri, Manifest.OCI_INDEX, pullScope(repository), maxBytes);
    int status = answer.status();
    if (status == 404 || status == 405 || status == 400 || status == 406) {
      return Optional.empty();
    }
    expectOk(answer, "the referrers of " + repository + "@" + digest);
    String type = answer.header("Content-Type").orElse("").split(";", 2)[0].trim();
    if (!type.equals(Manifest.OCI_INDEX)) {
      return Optional.empty();
    }
    JsonNode tree;
    try {
      tree = parseObject(json, answer.body(), "the referrers of " + repository);
    } catch (RegistryRefused notJson) {
      return Optional.empty();
    }
    if (!tree.path("manifests").isArray()) {
      return Optional.empty();
    }
    Manifest index =
        new Manifest(repository, sha256(answer.body()), Manifest.OCI_INDEX, answer.body(), tree);
    return Optional.of(descriptors(index));
  }

  /**
   * The layers of a manifest, or the manifests of an index, with their platforms and annotations.
   * Entries without a sha256 digest are left out.
   */
  public static List<Descriptor> descriptors(Manifest m) {
    JsonNode list = m.json().path(m.isIndex() ? "manifests" : "layers");
    List<Descriptor> out = new ArrayList<>();
    if (!list.isArray()) {
      return out;
    }
    for (JsonNode entry : list) {
      Descriptor d = descriptor(entry);
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  /** The config descriptor of an image manifest (empty for an index or without one). */
  public static Optional<Descriptor> configDescriptor(Manifest m) {
    if (m.isIndex()) {
      return Optional.empty();
    }
    return Optional.ofNullable(descriptor(m.json().path("config")));
  }

  /** The manifest's own annotations (empty when it has none). */
  public static Map<String, String> annotations(Manifest m) {
    return stringMap(m.json().path("annotations"));
  }

  /** The subject of a referrer manifest (OCI 1.1), if it names one. */
  public static Optional<Descriptor> subject(Manifest m) {
    return Optional.ofNullable(descriptor(m.json().path("subject")));
  }

  private static Descriptor descriptor(JsonNode entry) {
    if (!entry.isObject()) {
      return null;
    }
    String digest = entry.path("digest").asText("");
    if (!DIGEST.matcher(digest).matches()) {
      return null;
    }
    JsonNode p = entry.path("platform");
    Descriptor.Platform platform =
        p.isObject()
            ? new Descriptor.Platform(text(p, "os"), text(p, "architecture"), text(p, "variant"))
            : null;
    return new Descriptor(
        entry.path("mediaType").asText(""),
        digest,
        entry.path("size").asLong(-1),
        text(entry, "artifactType"),
        stringMap(entry.path("annotations")),
        platform);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getValue().isTextual()) {
                  out.put(e.getKey(), e.getValue().asText());
                }
              });
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // paging

  /** A list longer than this is refused: a registry cannot make the node hold millions. */
  static final int MAX_ENTRIES = 100_000;

  private List<String> paged(
      String path, String scope, String field, Pattern valid, String notFound)
      throws RegistryRefused {
    List<String> out = new ArrayList<>();
    Set<URI> seen = new HashSet<>();
    URI next = url(path + "?n=" + pageSize);
    for (int page = 0; next != null; page++) {
      if (page >= MAX_PAGES) {
        throw new RegistryRefused("the registry's list has more than " + MAX_PAGES + " pages");
      }
      if (!seen.add(next)) {
        throw new RegistryRefused("the registry's next-page links go round in a loop");
      }
      Answer answer = exchange("GET", next, "application/json", scope, maxBytes);
      if (answer.status() == 404) {
        throw new RegistryRefused(notFound);
      }
      expectOk(answer, "the list " + path);
      JsonNode tree = parseObject(json, answer.body(), "the list " + path);
      JsonNode entries = tree.path(field);
      if (!entries.isArray() && !entries.isNull() && !entries.isMissingNode()) {
        throw new RegistryRefused("the registry's list " + path + " is not of the API's form");
      }
      for (JsonNode entry : entries) {
        // a name this client could not ask for again is left out
        if (entry.isTextual() && valid.matcher(entry.asText()).matches()) {
          out.add(entry.asText());
        }
      }
      if (out.size() > MAX_ENTRIES) {
        throw new RegistryRefused("the registry's list has more than " + MAX_ENTRIES + " entries");
      }
      next = nextLink(answer);
    }
    return out;
  }

  private URI nextLink(Answer answer) throws RegistryRefused {
    for (String link : answer.headers().allValues("Link")) {
      Matcher m = LINK_NEXT.matcher(link);
      if (m.find()) {
        URI resolved;
        try {
          resolved = answer.uri().resolve(new URI(m.group(1).trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
          throw new RegistryRefused("the registry's next-page link is not a URI");
        }
        if (!sameOrigin(resolved, registry)) {
          throw new RegistryRefused("the registry's next-page link leaves the registry");
        }
        return resolved;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP with auth

  /**
   * One request with the registry's auth: a cached token for the scope, else the request anonymous;
   * on 401 the challenge is answered (a token from the realm, or Basic) and the request sent once
   * more. Redirects are followed here, the Authorization header only kept on the registry itself.
   */
  private Answer exchange(String method, URI uri, String accept, String scope, long limit)
      throws RegistryRefused {
    String authorization = cachedAuthorization(scope);
    Answer answer = follow(method, uri, accept, authorization, limit);
    if (answer.status() != 401) {
      return answer;
    }
    Challenge challenge = challenge(answer);
    if (challenge == null) {
      throw new RegistryRefused("the registry requires authentication in a way pancat cannot do");
    }
    if (challenge.scheme().equals("basic")) {
      if (credentials == null) {
        throw new RegistryRefused("the registry requires credentials and none are configured");
      }
      checkMaySendPassword(registry, "the registry");
      if (!credentials.mayGoTo(registry.getHost(), registry.getHost())) {
        throw new RegistryRefused(
            "the registry is not a host the configured credentials may be sent to");
      }
      basicAsked = true;
      answer = follow(method, uri, accept, basic(), limit);
      if (answer.status() == 401) {
        throw new RegistryRefused("the registry refused the configured credentials");
      }
      return answer;
    }
    String tokenScope = challenge.params().getOrDefault("scope", scope);
    CachedToken token = fetchToken(challenge, tokenScope);
    tokens.put(scope, token);
    answer = follow(method, uri, accept, "Bearer " + token.token(), limit);
    if (answer.status() == 401) {
      tokens.remove(scope);
      throw new RegistryRefused(
          credentials == null
              ? "the registry refused anonymous access to " + what(scope)
              : "the registry refused the token its token service issued for " + what(scope));
    }
    return answer;
  }

  private String cachedAuthorization(String scope) {
    CachedToken cached = tokens.get(scope);
    if (cached != null) {
      if (clock.instant().isBefore(cached.expires())) {
        return "Bearer " + cached.token();
      }
      tokens.remove(scope, cached);
    }
    if (basicAsked && credentials != null) {
      return basic();
    }
    return null;
  }

  private String basic() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (credentials.username() + ":" + credentials.password())
                    .getBytes(StandardCharsets.UTF_8));
  }

  private static String what(String scope) {
    if (scope.startsWith("registry:catalog")) {
      return "the catalog";
    }
    String[] parts = scope.split(":");
    return parts.length >= 2 ? "repository " + parts[1] : "the registry";
  }

  private record Challenge(String scheme, Map<String, String> params) {}

  /** The Bearer challenge if the registry offers one, else Basic, else null. */
  private static Challenge challenge(Answer answer) {
    Challenge basic = null;
    for (String value : answer.headers().allValues("WWW-Authenticate")) {
      String trimmed = value.trim();
      int space = trimmed.indexOf(' ');
      String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
      Map<String, String> params = new LinkedHashMap<>();
      if (space > 0) {
        Matcher m = CHALLENGE_PARAM.matcher(trimmed.substring(space + 1));
        while (m.find()) {
          String v = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
          params.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), v);
        }
      }
      if (scheme.equals("bearer") && params.containsKey("realm")) {
        return new Challenge("bearer", params);
      }
      if (scheme.equals("basic")) {
        basic = new Challenge("basic", params);
      }
    }
    return basic;
  }

  /** Until expires_in (60 s when absent) from now, a little early past 20 s. */
  private Instant expiry(long seconds) {
    long s = seconds <= 0 ? DEFAULT_TOKEN_SECONDS : seconds;
    long margin = s > 20 ? 10 : 0;
    return clock.instant().plusSeconds(s - margin);
  }

  private CachedToken fetchToken(Challenge challenge, String scope) throws RegistryRefused {
    URI realm;
    try {
      realm = new URI(challenge.params().get("realm"));
    } catch (URISyntaxException e) {
      throw new RegistryRefused("the registry's token service address is not a URI");
    }
    String scheme = realm.getScheme() == null ? "" : realm.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http"))
        || realm.getHost() == null
        || realm.getRawUserInfo() != null) {
      throw new RegistryRefused("the registry's token service address is not an http(s) URL");
    }
    if (!hostAllowed.test(realm.getHost())) {
      throw new RegistryRefused(
          "the registry's token service at " + realm.getHost() + " is not a host this node reads");
    }
    if (credentials != null && !credentials.mayGoTo(realm.getHost(), registry.getHost())) {
      throw new RegistryRefused(
          "the registry's token service at "
              + realm.getHost()
              + " is not a host the configured credentials may be sent to");
    }
    if (credentials != null) {
      checkMaySendPassword(realm, "the registry's token service at " + realm.getHost());
    }
    StringBuilder query = new StringBuilder();
    String service = challenge.params().get("service");
    if (service != null) {
      query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
    }
    if (scope != null) {
      for (String one : scope.trim().split("\\s+")) {
        if (!one.isEmpty()) {
          query.append(query.length() == 0 ? "" : "&");
          query.append("scope=").append(URLEncoder.encode(one, StandardCharsets.UTF_8));
        }
      }
    }
    String raw = realm.toString();
    URI uri =
        URI.create(
            query.length() == 0
                ? raw
                : raw + (realm.getRawQuery() == null ? "?" : "&") + query.toString());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(timeout).GET().header("Accept", "application/json");
    if (credentials != null) {
      request.header("Authorization", basic());
    }
    Answer answer = send(request.build(), Math.min(maxBytes, 1024 * 1024), false);
    if (answer.status() == 401 || answer.status() == 403) {
      throw new RegistryRefused(
          credentials == null
              ? "the registry requires credentials: its token service refused anonymous access"
              : "the registry's token service refused the configured credentials");
    }
    if (answer.status() != 200) {
      throw new RegistryRefused(
          "the registry's token service answered with status " + answer.status());
    }
    JsonNode tree = parseObject(json, answer.body(), "the token service's answer");
    String token = tree.path("token").asText("");
    if (token.isEmpty()) {
      token = tree.path("access_token").asText("");
    }
    if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new RegistryRefused("the registry's token service answered without a usable token");
    }
    return new CachedToken(token, expiry(tree.path("expires_in").asLong(DEFAULT_TOKEN_SECONDS)));
  }

  /** Passwords only over https, or to a loopback host named by literal address or localhost. */
  private static void checkMaySendPassword(URI target, String what) throws RegistryRefused {
    if ("https".equalsIgnoreCase(target.getScheme()) || isLoopback(target.getHost())) {
      return;
    }
    throw new RegistryRefused(
        what
            + " is plain http on a host that is not loopback: pancat does not send credentials"
            + " in clear");
  }

  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    // literal addresses only: a name is not resolved, so DNS cannot make it loopback for the check
    if (!IPV4.matcher(h).matches() && !h.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Follows redirects; Authorization only on the registry's own origin. */
  private Answer follow(String method, URI uri, String accept, String authorization, long limit)
      throws RegistryRefused {
    URI current = uri;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(current)
              .timeout(timeout)
              .method(method, HttpRequest.BodyPublishers.noBody())
              .header("Accept", accept);
      if (authorization != null && sameOrigin(current, registry)) {
        request.header("Authorization", authorization);
      }
      Answer answer = send(request.build(), limit, method.equals("HEAD"));
      int status = answer.status();
      if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
        return answer;
      }
      if (hop >= MAX_REDIRECTS) {
        throw new RegistryRefused("the registry redirected more than " + MAX_REDIRECTS + " times");
      }
      String location =
          answer
              .header("Location")
              .orElseThrow(() -> new RegistryRefused("the registry redirected to nowhere"));
      try {
        current = current.resolve(new URI(location));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new RegistryRefused("the registry redirected to something that is not a URI");
      }
      if (!hostAllowed.test(current.getHost())) {
        throw new RegistryRefused("the registry redirected to a host this node does not read");
      }
      String scheme = current.getScheme() == null ? "" : current.getScheme();
      if (!scheme.equalsIgnoreCase("https")
          && !(scheme.equalsIgnoreCase("http")
              && (registry.getScheme().equals("http") || isLoopback(current.getHost())))) {
        throw new RegistryRefused("the registry redirected to a URL that is not https");
      }
    }
  }

  /** One request, its body read bounded within the timeout. */
  private Answer send(HttpRequest request, long limit, boolean head) throws RegistryRefused {
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(request, info -> bounded(info, limit, head));
    try {
      HttpResponse<byte[]> response = future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      return new Answer(
          response.statusCode(),
          response.headers(),
          response.body() == null ? new byte[0] : response.body(),
          response.uri());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new RegistryRefused(timeoutReason(request));
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new RegistryRefused("interrupted while reading from " + request.uri().getHost());
    } catch (ExecutionException e) {
      if (BoundedBody.isTooLarge(e)) {
        throw new RegistryRefused(
            "an answer from " + request.uri().getHost() + " is larger than " + limit + " bytes");
      }
      Throwable cause = e.getCause();
      while (cause != null
          && !(cause instanceof HttpTimeoutException)
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof HttpTimeoutException) {
        throw new RegistryRefused(timeoutReason(request));
      }
      throw new RegistryRefused(
          "could not read from " + hostOf(request.uri()) + " (" + kind(e.getCause()) + ")",
          e.getCause());
    }
  }

  private String timeoutReason(HttpRequest request) {
    return hostOf(request.uri()) + " did not answer within " + timeout.toSeconds() + " s";
  }

  private static String hostOf(URI uri) {
    return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  private static String kind(Throwable t) {
    return t == null ? "unknown error" : t.getClass().getSimpleName();
  }

  /**
   * A body handler that keeps at most {@code limit} bytes (error bodies at most 64 KiB, and never
   * kept): past it the read is cancelled.
   */
  private static HttpResponse.BodySubscriber<byte[]> bounded(
      HttpResponse.ResponseInfo info, long limit, boolean head) {
    boolean ok = info.statusCode() >= 200 && info.statusCode() < 300;
    long max = ok ? limit : Math.min(limit, ERROR_BODY_LIMIT);
    if (head) {
      return HttpResponse.BodySubscribers.replacing(new byte[0]);
    }
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (ok) {
      return new BoundedBody(max, declared, false);
    }
    // an error body is read (so the connection can be kept, up to 64 KiB) but never shown
    return HttpResponse.BodySubscribers.mapping(
        new BoundedBody(max, -1, true), bytes -> new byte[0]);
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private void expectOk(Answer answer, String what) throws RegistryRefused {
    int status = answer.status();
    if (status >= 200 && status < 300) {
      return;
    }
    if (status == 403) {
      throw new RegistryRefused("the registry denied access to " + what);
    }
    if (status == 429) {
      throw new RegistryRefused("the registry is rate-limiting: try " + what + " later");
    }
    throw new RegistryRefused("the registry answered " + what + " with status " + status);
  }

  private URI url(String pathAndQuery) {
    return URI.create(registry.toString() + pathAndQuery);
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null
        && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    if (u.getPort() != -1) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private static String pullScope(String repository) {
    return "repository:" + repository + ":pull";
  }

  static void checkRepository(String repository) throws RegistryRefused {
    if (repository == null
        || repository.length() > 255
        || !REPOSITORY.matcher(repository).matches()) {
      throw new RegistryRefused("not a valid repository name");
    }
  }

  static void checkDigest(String digest) throws RegistryRefused {
    if (digest == null || !DIGEST.matcher(digest).matches()) {
      throw new RegistryRefused("not a sha256 digest (sha256: and 64 lower-case hex digits)");
    }
  }

  private static void checkReference(String tagOrDigest) throws RegistryRefused {
    if (tagOrDigest != null && tagOrDigest.contains(":")) {
      checkDigest(tagOrDigest);
    } else if (tagOrDigest == null || !TAG.matcher(tagOrDigest).matches()) {
      throw new RegistryRefused("not a valid tag");
    }
  }

  private static boolean isDigest(String reference) {
    return reference != null && reference.startsWith("sha256:");
  }

  private static JsonNode parseObject(ObjectMapper json, byte[] bytes, String what)
      throws RegistryRefused {
    try {
      JsonNode tree = json.readTree(bytes);
      if (tree == null || !tree.isObject()) {
        throw new RegistryRefused(what + " is not a JSON object");
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw new RegistryRefused(what + " is not valid JSON");
    } catch (IOException e) {
      throw new RegistryRefused(what + " could not be read");
    }
  }

  /** sha256:hex of the bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
