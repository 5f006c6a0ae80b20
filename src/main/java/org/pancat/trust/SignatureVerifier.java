package org.pancat.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.encryption.signers.Verifiers;
import dev.sigstore.rekor.client.RekorEntry;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.pancat.problem.ProblemException;

/**
 * Verifies signatures over an artifact's sha256 digest, offline, with sigstore-java.
 *
 * <ul>
 *   <li>Sigstore bundles (media types v0.1, v0.2, v0.3, v0.3.1) with a message signature or a DSSE
 *       envelope: the Fulcio certificate chain and its embedded SCTs against the trusted root, the
 *       signature over the digest (or the digest among the in-toto subjects), the Rekor entry's
 *       consistency with the signature, its signed entry timestamp, inclusion proof and checkpoint,
 *       any RFC 3161 timestamps, and that the certificate was valid when the entry was logged.
 *   <li>Key pairs (cosign {@code sign-blob --key}, or {@code sign --key} with its simple-signing
 *       payload): the signature against the given PEM public key; the key's fingerprint is the
 *       identity a trust policy names.
 * </ul>
 *
 * The trusted root is read once, at start, from configuration; nothing is fetched.
 */
@ApplicationScoped
public class SignatureVerifier {
  private static final String ISSUER_OID = "1.3.6.1.4.1.57264.1.8";
  private static final String LEGACY_ISSUER_OID = "1.3.6.1.4.1.57264.1.1";

  private final KeylessVerifier keyless;
  private final ObjectMapper mapper;
  private final Clock clock;

  @Inject
  SignatureVerifier(TrustConfig config, ObjectMapper mapper) {
    this(trustedRoot(config.trustedRoot().map(Path::of).orElse(null)), mapper, Clock.systemUTC());
  }

  public SignatureVerifier(SigstoreTrustedRoot root, ObjectMapper mapper, Clock clock) {
    try {
      this.keyless = KeylessVerifier.builder().trustedRootProvider(() -> root).build();
    } catch (GeneralSecurityException | SigstoreConfigurationException e) {
      throw new IllegalStateException("the Sigstore trusted root cannot be used", e);
    }
    this.mapper = mapper;
    this.clock = clock;
  }

  /** Reads a trusted root file, or the shipped public-good snapshot when {@code file} is null. */
  public static SigstoreTrustedRoot trustedRoot(Path file) {
    try (InputStream in =
        file == null
            ? SignatureVerifier.class.getResourceAsStream("/trust/trusted_root.json")
            : Files.newInputStream(file)) {
      return SigstoreTrustedRoot.from(in);
    } catch (IOException | SigstoreConfigurationException | RuntimeException e) {
      throw new IllegalStateException(
          "pancat.trust.trusted-root: "
              + (file == null ? "the shipped trusted root" : file)
              + " is not a readable Sigstore trusted_root.json",
          e);
    }
  }

  /**
   * Verifies a Sigstore bundle over {@code digest} ({@code sha256:<hex>}); throws a 422 problem
   * that says why when it does not verify.
   */
  public VerifiedSignature verifyBundle(JsonNode bundleJson, String digest) {
    Bundle bundle;
    try {
      bundle = Bundle.from(new StringReader(mapper.writeValueAsString(bundleJson)));
    } catch (BundleParseException | IOException | RuntimeException e) {
      throw SignatureRejection.of("not a usable Sigstore bundle (" + firstLine(e) + ")");
    }
    byte[] expected = sha256Bytes(digest);
    try {
      keyless.verify(expected, bundle, VerificationOptions.empty());
    } catch (KeylessVerificationException e) {
      throw SignatureRejection.of(explain(e));
    } catch (RuntimeException e) {
      throw SignatureRejection.of("the bundle cannot be verified (" + firstLine(e) + ")");
    }
    X509Certificate leaf = (X509Certificate) bundle.getCertPath().getCertificates().get(0);
    Instant signedAt = signingTime(leaf, bundle.getEntries());
    return new VerifiedSignature(
        "sigstore-bundle",
        subjectAlternativeName(leaf),
        oidcIssuer(leaf),
        signedAt,
        clock.instant());
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
      throw SignatureRejection.of("signature and payload must be base64");
    }
    boolean valid;
    try {
      var verifier = Verifiers.newVerifier(key);
      if (payload == null) {
        valid = verifier.verifyDigest(sha256Bytes(digest), signature);
      } else {
        valid = verifier.verify(payload, signature);
        if (valid) {
          String named = simpleSigningDigest(payload);
          if (!digest.equals(named)) {
            throw SignatureRejection.of(
                "the signed payload names digest " + named + ", not the artifact's " + digest);
          }
        }
      }
    } catch (GeneralSecurityException | UnsupportedOperationException e) {
      throw SignatureRejection.of("the signature cannot be checked with this key");
    }
    if (!valid) {
      throw SignatureRejection.of("the signature does not match the digest and public key");
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
    String body =
        pem == null
            ? ""
            : pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("publicKey", "must be a PEM public key");
    }
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw ProblemException.invalid("publicKey", "not an EC, RSA or Ed25519 public key");
  }

  /**
   * The certificate must have been valid when the log entry was integrated (the Sigstore rule that
   * makes short-lived certificates usable later); that time is what "signed at" means.
   */
  private static Instant signingTime(X509Certificate leaf, List<RekorEntry> entries) {
    Instant logged = null;
    for (RekorEntry entry : entries) {
      if (entry.getIntegratedTime() > 0) {
        logged = entry.getIntegratedTimeInstant();
      }
    }
    if (logged == null) {
      return null; // time proven by RFC 3161 timestamps, which sigstore-java checked
    }
    try {
      leaf.checkValidity(Date.from(logged));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw SignatureRejection.of(
          "the signing certificate was not valid when the log entry was made (" + logged + ")");
    }
    return logged;
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
    throw SignatureRejection.of("the signing certificate names no identity");
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
    throw SignatureRejection.of("the signing certificate names no OIDC issuer");
  }

  /** The contents of one DER TLV (definite lengths only, as DER requires). */
  private static byte[] contents(byte[] tlv) {
    int length = tlv[1] & 0xff;
    int offset = 2;
    if (length > 0x7f) {
      int octets = length & 0x7f;
      length = 0;
      for (int i = 0; i < octets; i++) {
        length = (length << 8) | (tlv[2 + i] & 0xff);
      }
      offset += octets;
    }
    if (offset + length > tlv.length) {
      throw SignatureRejection.of("the signing certificate has a malformed issuer extension");
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
        throw SignatureRejection.of("the payload is not a cosign simple-signing payload");
      }
      return named;
    } catch (IOException e) {
      throw SignatureRejection.of("the payload is not JSON");
    }
  }

  private static byte[] sha256Bytes(String digest) {
    if (digest == null || !digest.startsWith("sha256:")) {
      throw SignatureRejection.of("signatures are checked over a sha256 digest");
    }
    return HexFormat.of().parseHex(digest.substring("sha256:".length()));
  }

  /** sigstore-java's message, first line only: later lines repeat digests, not secrets. */
  private static String explain(KeylessVerificationException e) {
    String message = firstLine(e);
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message += ": " + firstLine(cause);
    }
    return message;
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? "no detail" : e.getMessage();
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }
}
