package org.pancat.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.pancat.kernel.NodeIdentity;

/**
 * The node's identity: its id and EC P-256 signing keys, generated into {@code key-dir} on first
 * start (or placed there by the operator). Rotation keeps retired public keys published with their
 * validity window, so entries they signed stay verifiable by peers.
 */
@ApplicationScoped
@Startup // generate keys at boot, not on the first feed request
public class NodeKeys implements NodeIdentity {
  static final JOSEObjectType FEED_TYPE = new JOSEObjectType("pancat-feed+json");

  private final Path keyFile;
  private final String nodeId;
  private final Duration retiredValidity;
  private final Clock clock;
  private volatile JWKSet keys;

  @Inject
  NodeKeys(FederationConfig config) {
    this(
        Path.of(config.node().keyDir()),
        config.node().id().orElse(null),
        config.node().retiredKeyValidity(),
        Clock.systemUTC());
  }

  NodeKeys(Path dir, String configuredId, Duration retiredValidity, Clock clock) {
    this.keyFile = dir.resolve("keys.json");
    this.retiredValidity = retiredValidity;
    this.clock = clock;
    try {
      Files.createDirectories(dir);
      Path idFile = dir.resolve("node-id");
      if (configuredId != null) {
        nodeId = configuredId;
      } else {
        if (!Files.exists(idFile)) {
          write(idFile, "node-" + UUID.randomUUID().toString().substring(0, 8) + "\n");
        }
        nodeId = Files.readString(idFile, StandardCharsets.UTF_8).strip();
      }
      if (Files.exists(keyFile)) {
        keys = JWKSet.load(keyFile.toFile());
      } else {
        keys = new JWKSet(generate());
        save();
      }
    } catch (IOException | ParseException e) {
      throw new IllegalStateException(
          "pancat.federation.node.key-dir: " + dir + " does not hold usable node keys", e);
    }
    current(); // fails fast when every key has been retired
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  /** The public keys, current and retired, with their validity windows. */
  public JWKSet publicKeys() {
    return keys.toPublicJWKSet();
  }

  /** The key new signatures are made with: the newest one not retired. */
  ECKey current() {
    return keys.getKeys().stream()
        .filter(k -> k.getExpirationTime() == null)
        .map(ECKey.class::cast)
        .max(Comparator.comparing(JWK::getIssueTime))
        .orElseThrow(() -> new IllegalStateException("the node has no current signing key"));
  }

  /** Signs {@code payload} (canonical JSON bytes) as a compact JWS with the current key. */
  public String sign(byte[] payload) {
    return sign(payload, FEED_TYPE);
  }

  /**
   * Signs {@code payload} (canonical JSON bytes) as a compact JWS with a detached payload ({@code
   * header..signature}, RFC 7515 appendix F): the signed content travels and is stored once, beside
   * the signature, and the verifier rebuilds the bytes from it.
   */
  public String signDetached(byte[] payload) {
    return jws(payload, FEED_TYPE, false).serialize(true);
  }

  /** Signs {@code payload} as a compact JWS of the given type with the current key. */
  String sign(byte[] payload, JOSEObjectType type) {
    return sign(payload, type, false);
  }

  /**
   * @param withPublicKey carry the public key in the header ({@code jwk}), so a peer that pinned
   *     its fingerprint verifies without fetching this node's key set
   */
  String sign(byte[] payload, JOSEObjectType type, boolean withPublicKey) {
    return jws(payload, type, withPublicKey).serialize();
  }

  private JWSObject jws(byte[] payload, JOSEObjectType type, boolean withPublicKey) {
    ECKey key = current();
    JWSHeader.Builder header =
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(type);
    if (withPublicKey) {
      header.jwk(key.toPublicJWK());
    }
    JWSObject jws = new JWSObject(header.build(), new Payload(payload));
    try {
      jws.sign(EcdsaProvider.signer(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return jws;
  }

  /**
   * Retires the current key and starts signing with a new one. The retired key stays published with
   * its validity window ({@code nbf} = issue, {@code exp} = retirement): it verifies what it signed
   * before retirement, nothing signed later. Keys retired longer than {@code retired-key-validity}
   * ago are dropped.
   */
  public synchronized JWKSet rotate() {
    Instant now = clock.instant();
    List<JWK> next = new ArrayList<>();
    ECKey current = current();
    for (JWK k : keys.getKeys()) {
      if (k.getKeyID().equals(current.getKeyID())) {
        next.add(
            new ECKey.Builder((ECKey) k)
                .notBeforeTime(k.getIssueTime())
                .expirationTime(Date.from(now))
                .build());
      } else if (k.getExpirationTime() == null
          || k.getExpirationTime().toInstant().plus(retiredValidity).isAfter(now)) {
        next.add(k);
      }
    }
    next.add(generate());
    keys = new JWKSet(next);
    save();
    return publicKeys();
  }

  /** {@code sha256:<hex>} of a key's RFC 7638 thumbprint: what peers pin. */
  public static String fingerprint(JWK key) {
    try {
      return "sha256:" + HexFormat.of().formatHex(key.computeThumbprint("SHA-256").decode());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private ECKey generate() {
    try {
      ECKey key =
          new ECKeyGenerator(Curve.P_256)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .issueTime(Date.from(clock.instant()))
              .generate();
      return new ECKey.Builder(key).keyIDFromThumbprint().build();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a node key", e);
    }
  }

  private void save() {
    try {
      write(keyFile, keys.toString(false));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the node keys", e);
    }
  }

  /** Writes via a private temporary file and an atomic move, so a crash leaves the old keys. */
  private static void write(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's permissions protect the key
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
