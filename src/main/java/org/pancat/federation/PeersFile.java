package org.pancat.federation;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The peers file ({@code federation-config/peers.yaml}): the nodes this node knows, the key
 * fingerprints it pins for each, whether and how often it pulls each, and what it imports. Read
 * once at start; a file that does not validate stops the node with the reason.
 *
 * @param peers every known node; only pinned keys of these verify feed pages and origin signatures
 */
public record PeersFile(List<Peer> peers) {
  private static final Pattern NODE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern FINGERPRINT = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Set<String> SHARING = Set.of("open", "restricted", "non-shareable");
  private static final ObjectMapper YAML =
      JsonMapper.builder(new YAMLFactory())
          .findAndAddModules()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  public static final PeersFile NONE = new PeersFile(List.of());

  /** Whether {@code id} has the form of a node id. */
  static boolean isNodeId(String id) {
    return id != null && NODE_ID.matcher(id).matches();
  }

  /** Whether these are key fingerprints as pinned ({@code sha256:<64 hex>}), at least one. */
  static boolean validFingerprints(List<String> fingerprints) {
    return fingerprints != null
        && !fingerprints.isEmpty()
        && fingerprints.stream().allMatch(f -> f != null && FINGERPRINT.matcher(f).matches());
  }

  public PeersFile {
    peers = peers == null ? List.of() : List.copyOf(peers);
  }

  /**
   * One peer node.
   *
   * @param id the node id the peer publishes at {@code /.well-known/pancat-node}
   * @param keys pinned SHA-256 fingerprints of the peer's signing keys (see its pancat-node)
   * @param pull whether this node pulls the peer's feed; a peer that is not pulled is still a known
   *     origin whose relayed entries verify
   * @param interval how often the scheduler pulls (notify makes it sooner)
   * @param vouchesForOrigins whether this node accepts origins the peer vouches for: an origin of a
   *     relayed entry that is not in this file is looked up in the peer's signed list of the
   *     origins it pins, and pinned here once, with the fingerprints the peer gave (never changed
   *     by a later vouch). Off unless set: it trusts the peer to name other nodes' keys.
   */
  public record Peer(
      String id,
      String name,
      String baseUrl,
      List<String> keys,
      Boolean pull,
      Duration interval,
      @JsonProperty("import") ImportPolicy importPolicy,
      Boolean vouchesForOrigins) {
    public Peer {
      vouchesForOrigins = vouchesForOrigins != null && vouchesForOrigins;
      keys = keys == null ? List.of() : List.copyOf(keys);
      name = name == null ? id : name;
      pull = pull == null || pull;
      interval = interval == null ? Duration.ofSeconds(30) : interval;
      importPolicy = importPolicy == null ? ImportPolicy.EVERYTHING : importPolicy;
      baseUrl = baseUrl == null ? null : baseUrl.replaceAll("/+$", "");
    }
  }

  /**
   * What this node takes from a peer's feed; an empty list restricts nothing.
   *
   * @param origins origin node ids accepted from this peer (its own and relayed ones)
   * @param facilities facility ids imported
   * @param sharing sharing classes imported ({@code non-shareable} never has a reference to import)
   * @param techniques technique terms (labels, acronyms or IRIs); software tagged with one of them
   *     or a narrower technique
   * @param trustedOnly artifacts are held (stored, relayed, but hidden from catalogue, search and
   *     resolve) until this node's trust policy judges them trusted
   */
  public record ImportPolicy(
      List<String> origins,
      List<String> facilities,
      List<String> sharing,
      List<String> techniques,
      Boolean trustedOnly) {
    static final ImportPolicy EVERYTHING = new ImportPolicy(null, null, null, null, null);

    public ImportPolicy {
      trustedOnly = trustedOnly != null && trustedOnly;
      origins = origins == null ? List.of() : List.copyOf(origins);
      facilities = facilities == null ? List.of() : List.copyOf(facilities);
      sharing = sharing == null ? List.of() : List.copyOf(sharing);
      techniques = techniques == null ? List.of() : List.copyOf(techniques);
    }

    public boolean acceptsOrigin(String origin) {
      return origins.isEmpty() || origins.contains(origin);
    }
  }

  /** Reads and validates the file; a missing file is no peers. */
  public static PeersFile read(Path file, String selfId) {
    if (!Files.exists(file)) {
      return NONE;
    }
    PeersFile read;
    try {
      read = YAML.readValue(file.toFile(), PeersFile.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "peers file " + file + " is not valid: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("peers file " + file + " cannot be read", e);
    }
    if (read == null) {
      return NONE;
    }
    List<String> problems = read.problems(selfId);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("peers file " + file + ": " + String.join("; ", problems));
    }
    return read;
  }

  List<String> problems(String selfId) {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Peer p : peers) {
      String at = "peer " + p.id();
      if (p.id() == null || !NODE_ID.matcher(p.id()).matches()) {
        problems.add("peer id '" + p.id() + "' must be a node id like esrf or desy-hamburg");
        continue;
      }
      if (!seen.add(p.id())) {
        problems.add(at + " is listed twice");
      }
      if (p.id().equals(selfId)) {
        problems.add(at + " is this node");
      }
      if (p.baseUrl() == null || !validUrl(p.baseUrl())) {
        problems.add(at + ": baseUrl must be an http(s) URL");
      }
      if (p.keys().isEmpty()) {
        problems.add(
            at + ": pin at least one key fingerprint (keys), see its /.well-known/pancat-node");
      }
      p.keys().stream()
          .filter(k -> !FINGERPRINT.matcher(k).matches())
          .forEach(
              k -> problems.add(at + ": key '" + k + "' is not a sha256:<64 hex> fingerprint"));
      if (p.interval().compareTo(Duration.ofSeconds(1)) < 0) {
        problems.add(at + ": interval must be at least 1s");
      }
      p.importPolicy().sharing().stream()
          .filter(s -> !SHARING.contains(s))
          .forEach(s -> problems.add(at + ": unknown sharing class '" + s + "'"));
    }
    return problems;
  }

  private static boolean validUrl(String url) {
    try {
      URI uri = URI.create(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
