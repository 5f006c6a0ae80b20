package org.pancat.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.pancat.trust.BundleVerifier.VerifiedBundle;

/**
 * Verifies signatures over an artifact, offline, against the Sigstore trusted root the node reads
 * at start (configured, or the public-good snapshot it ships); nothing is fetched.
 *
 * <ul>
 *   <li>Sigstore bundles (media types v0.1, v0.2, v0.3 in both spellings) with a message signature
 *       or a DSSE envelope, signed with a Fulcio certificate or a managed key:
 *       <ul>
 *         <li>the signature over the artifact's sha256, sha384 or sha512 digest (ECDSA P-256,
 *             P-384, P-521, RSA PKCS#1 v1.5; Ed25519 over the artifact's bytes), or over the DSSE
 *             envelope with the artifact among the in-toto subjects (or as the payload itself);
 *         <li>every transparency-log entry: its body records this signature, digest or payload and
 *             signer (hashedrekord 0.0.1/0.0.2, dsse 0.0.1/0.0.2, intoto 0.0.2), its inclusion
 *             proof and the checkpoint signed by a log of the trusted root whose key was valid at
 *             the entry's time, its signed entry timestamp when present, an integrated time not in
 *             the future;
 *         <li>RFC 3161 timestamps over the signature from a timestamp authority of the trusted
 *             root, inside its validity window;
 *         <li>for a certificate: at least one trusted time (SET-signed integrated time or RFC 3161
 *             time), the certificate valid at each, chaining to a Fulcio CA of the trusted root
 *             valid then, with an embedded SCT from one of its CT logs.
 *       </ul>
 *   <li>Key pairs (cosign {@code sign-blob --key}, or {@code sign --key} with its simple-signing
 *       payload): the signature against the given PEM public key; the key's fingerprint is the
 *       identity a trust policy names.
 * </ul>
 *
 * Every refusal is a {@link EvidenceRefused} whose reason is a sentence of ours. The bean is
 * created at start so that a trusted root the node cannot use stops it then.
 */
@Startup
@ApplicationScoped
public class SignatureVerifier {
  private static final String ISSUER_OID = "1.3.6.1.4.1.57264.1.8";
  private static final String LEGACY_ISSUER_OID = "1.3.6.1.4.1.57264.1.1";

  private final BundleVerifier bundles;
  private final ObjectMapper mapper;
  private final Clock clock;

  @Inject
  SignatureVerifier(TrustConfig config, ObjectMapper mapper) {
    this(trustedRoot(config.trustedRoot().map(Path::of).orElse(null)), mapper, Clock.systemUTC());
  }

  public SignatureVerifier(SigstoreTrustedRoot root, ObjectMapper mapper, Clock clock) {
    this.bundles = new BundleVerifier(root, clock);
    this.mapper = mapper;
    this.clock = clock;
  }

  /**
   * Reads a trusted root file, or the shipped public-good snapshot when {@code file} is null.
   *
   * @throws IllegalStateException naming the setting (and the field) when it cannot be used, e.g. a
   *     log or authority without the start of its validity
   */
  public static SigstoreTrustedRoot trustedRoot(Path file) {
    return TrustedRootLoader.load(file);
  }

  /**
   * Verifies a certificate-signed Sigstore bundle over {@code digest} ({@code sha256:<hex>}, {@code
   * sha384:<hex>} or {@code sha512:<hex>}); throws a 422 problem that says why when it does not
   * verify.
   */
  public VerifiedSignature verifyBundle(JsonNode bundle, String digest) {
    return verifyBundle(bundle, digest, null);
  }

  /**
   * Verifies a Sigstore bundle over {@code digest}. {@code publicKeyPem} is the managed key of a
   * bundle whose verification material is a public key (required then, refused otherwise).
   * Signatures that can only be checked against the artifact's bytes (Ed25519) are refused.
   */
  public VerifiedSignature verifyBundle(JsonNode bundle, String digest, String publicKeyPem) {
    return verify(json(bundle), Artifact.ofDigest(digest), publicKeyPem);
  }

  /** As {@link #verifyBundle(JsonNode, String, String)}, over the artifact's bytes. */
  public VerifiedSignature verifyBundle(JsonNode bundle, byte[] artifact, String publicKeyPem) {
    return verify(json(bundle), Artifact.ofBytes(artifact), publicKeyPem);
  }

  /** As {@link #verifyBundle(JsonNode, byte[], String)}, for bundle JSON as text. */
  public VerifiedSignature verifyBundleJson(
      String bundleJson, byte[] artifact, String publicKeyPem) {
    return verify(bundleJson, Artifact.ofBytes(artifact), publicKeyPem);
  }

  private VerifiedSignature verify(String bundleJson, Artifact artifact, String publicKeyPem) {
    PublicKey managedKey = null;
    if (publicKeyPem != null) {
      managedKey =
          SigningKeys.fromPem(publicKeyPem)
              .orElseThrow(
                  () ->
                      EvidenceRefused.doesNotVerify(
                          "the given public key is not a PEM EC, RSA or Ed25519 public key"));
    }
    VerifiedBundle verified;
    try {
      verified = bundles.verify(bundleJson, artifact, managedKey);
    } catch (EvidenceRefused e) {
      throw e;
    } catch (RuntimeException e) {
      // a library failing in a way we did not foresee: its words stay out of the answer
      throw EvidenceRefused.doesNotVerify("the bundle cannot be verified");
    }
    if (verified.leaf().isEmpty()) {
      return new VerifiedSignature(
          "sigstore-bundle",
          fingerprint(verified.key()),
          null,
          verified.signedAt().orElse(null),
          clock.instant());
    }
    X509Certificate leaf = verified.leaf().get();
    return new VerifiedSignature(
        "sigstore-bundle",
        subjectAlternativeName(leaf),
        oidcIssuer(leaf),
        verified.signedAt().orElseThrow(),
        clock.instant());
  }

  private String json(JsonNode bundle) {
    if (bundle == null || !bundle.isObject()) {
      throw EvidenceRefused.doesNotVerify("the bundle is malformed (not Sigstore bundle JSON)");
    }
    try {
      return mapper.writeValueAsString(bundle);
    } catch (IOException e) {
      throw EvidenceRefused.doesNotVerify("the bundle is malformed (not Sigstore bundle JSON)");
    }
  }

  /**
   * Verifies a detached key-pair signature (base64) over {@code digest}, or over a cosign
   * simple-signing {@code payload} (base64) that names the digest.
   */
  public VerifiedSignature verifyKeySignature(
      String publicKeyPem, String signatureBase64, String payloadBase64, String digest) {
    PublicKey key = publicKey(publicKeyPem);
    byte[] signature;
    byte[] payload;
    try {
      signature = Base64.getDecoder().decode(signatureBase64.strip());
      payload = payloadBase64 == null ? null : Base64.getDecoder().decode(payloadBase64.strip());
    } catch (IllegalArgumentException e) {
      throw EvidenceRefused.doesNotVerify("signature and payload must be base64");
    }
    boolean valid;
    if (payload == null) {
      if (SigningKeys.isEd25519(key)) {
        throw EvidenceRefused.doesNotVerify("the signature cannot be checked with this key");
      }
      Artifact artifact = Artifact.ofDigest(digest);
      DigestAlgorithm algorithm = artifact.givenAlgorithm().orElseThrow();
      valid = SigningKeys.verifyDigest(key, algorithm, artifact.digest(algorithm), signature);
    } else {
      // the payload is signed whole, hashed as the key's curve implies (SHA-384 for P-384, ...)
      valid = SigningKeys.verifyMessage(key, payload, signature);
      if (valid) {
        String named = simpleSigningDigest(payload);
        if (!digest.equals(named)) {
          // the payload is the signer's text: named only when it is a digest
          throw EvidenceRefused.doesNotVerify(
              "the signed payload names "
                  + (named.matches("sha(256|384|512):[0-9a-f]{64,128}")
                      ? "digest " + named
                      : "another digest")
                  + ", not the artifact's "
                  + digest);
        }
      }
    }
    if (!valid) {
      throw EvidenceRefused.doesNotVerify("the signature does not match the digest and public key");
    }
    return new VerifiedSignature("public-key", fingerprint(key), null, null, clock.instant());
  }

  /** {@code sha256:<hex>} of the key's SubjectPublicKeyInfo: how a trust policy names a key. */
  public static String fingerprint(String publicKeyPem) {
    return fingerprint(publicKey(publicKeyPem));
  }

  private static String fingerprint(PublicKey key) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static PublicKey publicKey(String pem) {
    byte[] der =
        SigningKeys.pemBody(pem)
            .orElseThrow(() -> EvidenceRefused.invalid("publicKey", "must be a PEM public key"));
    return SigningKeys.fromSpki(der)
        .orElseThrow(
            () -> EvidenceRefused.invalid("publicKey", "not an EC, RSA or Ed25519 public key"));
  }

  private static String subjectAlternativeName(X509Certificate leaf) {
    try {
      Collection<List<?>> names = leaf.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (name.size() == 2 && name.get(1) instanceof String value) {
            return value;
          }
        }
      }
    } catch (CertificateException e) {
      // fall through
    }
    throw EvidenceRefused.doesNotVerify("the signing certificate names no identity");
  }

  private static String oidcIssuer(X509Certificate leaf) {
    byte[] der = leaf.getExtensionValue(ISSUER_OID);
    if (der != null) {
      // OCTET STRING { UTF8String issuer }
      return new String(contents(contents(der)), StandardCharsets.UTF_8);
    }
    byte[] legacy = leaf.getExtensionValue(LEGACY_ISSUER_OID);
    if (legacy != null) {
      // OCTET STRING { raw issuer bytes }
      return new String(contents(legacy), StandardCharsets.UTF_8);
    }
    throw EvidenceRefused.doesNotVerify("the signing certificate names no OIDC issuer");
  }

  /** The contents of one DER TLV (definite lengths only, as DER requires). */
  private static byte[] contents(byte[] tlv) {
    if (tlv.length < 2) {
      throw EvidenceRefused.doesNotVerify(
          "the signing certificate has a malformed issuer extension");
    }
    int length = tlv[1] & 0xff;
    int offset = 2;
    if (length > 0x7f) {
      int octets = length & 0x7f;
      if (octets > 3 || 2 + octets > tlv.length) {
        throw EvidenceRefused.doesNotVerify(
            "the signing certificate has a malformed issuer extension");
      }
      length = 0;
      for (int i = 0; i < octets; i++) {
        length = (length << 8) | (tlv[2 + i] & 0xff);
      }
      offset += octets;
    }
    if (offset + length > tlv.length) {
      throw EvidenceRefused.doesNotVerify(
          "the signing certificate has a malformed issuer extension");
    }
    byte[] out = new byte[length];
    System.arraycopy(tlv, offset, out, 0, length);
    return out;
  }

  private String simpleSigningDigest(byte[] payload) {
    try {
      JsonNode node = mapper.readTree(payload);
      String named = node.path("critical").path("image").path("docker-manifest-digest").asText("");
      if (named.isEmpty()) {
        throw EvidenceRefused.doesNotVerify("the payload is not a cosign simple-signing payload");
      }
      return named;
    } catch (IOException e) {
      throw EvidenceRefused.doesNotVerify("the payload is not JSON");
    }
  }
}
