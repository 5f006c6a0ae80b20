package org.pancat.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Real signatures for tests: a P-256 key pair signing like {@code cosign sign-blob --key} (ECDSA
 * over the sha256 digest), and the Sigstore bundles copied from sigstore-java's test resources.
 */
public final class Signing {
  /** The digest the sigstore-java sample bundles sign (their artifact.txt). */
  public static final String BUNDLE_DIGEST =
      "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";

  public static final String BUNDLE_IDENTITY = "appu@google.com";
  public static final String BUNDLE_ISSUER = "https://accounts.google.com";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final KeyPair keys;

  public Signing() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String publicKeyPem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** Base64 ECDSA signature over the raw sha256 digest (what cosign sign-blob --key produces). */
  public String signDigest(String digest) {
    return sign("NONEwithECDSA", HexFormat.of().parseHex(digest.substring("sha256:".length())));
  }

  /** Base64 ECDSA (SHA-256) signature over a payload, as cosign signs simple-signing payloads. */
  public String signPayload(byte[] payload) {
    return sign("SHA256withECDSA", payload);
  }

  /** A {@code public-key} signature document over {@code digest}. */
  public Map<String, Object> keySignature(String digest) {
    return Map.of(
        "kind", "public-key", "publicKey", publicKeyPem(), "signature", signDigest(digest));
  }

  /**
   * A {@code public-key} signature as {@code cosign sign --key} makes for an image: ECDSA over a
   * simple-signing payload that names the image ({@code critical.identity.docker-reference}) and
   * its manifest digest, in cosign's own layout.
   */
  public Map<String, Object> simpleSigning(String reference, String digest) {
    byte[] payload =
        ("{\"critical\":{\"identity\":{\"docker-reference\":\""
                + reference
                + "\"},\"image\":{\"docker-manifest-digest\":\""
                + digest
                + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}")
            .getBytes(StandardCharsets.UTF_8);
    return Map.of(
        "kind",
        "public-key",
        "publicKey",
        publicKeyPem(),
        "signature",
        signPayload(payload),
        "payload",
        Base64.getEncoder().encodeToString(payload));
  }

  /**
   * An in-toto statement whose subject names the image, as {@code cosign attest} and {@code
   * actions/attest-build-provenance} write them, in a DSSE envelope signed with this key pair.
   */
  public Map<String, Object> provenanceEnvelope(String reference, String digest) {
    String[] parts = digest.split(":");
    byte[] statement;
    try {
      statement =
          MAPPER.writeValueAsBytes(
              Map.of(
                  "_type",
                  "https://in-toto.io/Statement/v1",
                  "subject",
                  List.of(Map.of("name", reference, "digest", Map.of(parts[0], parts[1]))),
                  "predicateType",
                  "https://slsa.dev/provenance/v1",
                  "predicate",
                  Map.of(
                      "buildDefinition",
                      Map.of("buildType", "https://actions.github.io/buildtypes/workflow/v1"),
                      "runDetails",
                      Map.of(
                          "builder",
                          Map.of("id", "https://github.com/actions/runner/github-hosted")))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String payloadType = "application/vnd.in-toto+json";
    byte[] pae =
        ("DSSEv1 " + payloadType.length() + " " + payloadType + " " + statement.length + " ")
            .getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[pae.length + statement.length];
    System.arraycopy(pae, 0, signed, 0, pae.length);
    System.arraycopy(statement, 0, signed, pae.length, statement.length);
    return Map.of(
        "payloadType",
        payloadType,
        "payload",
        Base64.getEncoder().encodeToString(statement),
        "signatures",
        List.of(Map.of("keyid", "", "sig", signPayload(signed))));
  }

  private String sign(String algorithm, byte[] data) {
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(keys.getPrivate());
      s.update(data);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A sample Sigstore bundle in the given media-type version ("0.1", "0.2", "0.3"). The fixture is
   * sigstore-java's v0.2 bundle; v0.1 differs only in the media type, v0.3 carries the leaf
   * certificate alone instead of a chain (the same bytes, as sigstore-java's bundle.v3.sigstore).
   */
  public static ObjectNode bundle(String version) {
    try (InputStream in =
        Signing.class.getResourceAsStream("/trust/sigstore-java/bundle.v0.2.sigstore.json")) {
      ObjectNode bundle = (ObjectNode) MAPPER.readTree(in);
      bundle.put("mediaType", "application/vnd.dev.sigstore.bundle+json;version=" + version);
      if (version.equals("0.3")) {
        ObjectNode material = (ObjectNode) bundle.get("verificationMaterial");
        var leaf = material.get("x509CertificateChain").get("certificates").get(0);
        material.remove("x509CertificateChain");
        material.putObject("certificate").set("rawBytes", leaf.get("rawBytes"));
      }
      return bundle;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * sigstore-java's {@code bundle.dsse.sigstore}: SLSA v1 provenance for the same digest in a DSSE
   * envelope, signed keyless by a GitHub Actions workflow.
   */
  public static ObjectNode provenanceBundle() {
    try (InputStream in =
        Signing.class.getResourceAsStream("/trust/sigstore-java/bundle.dsse.v0.3.sigstore.json")) {
      return (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static final String PROVENANCE_BUILDER =
      "https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml@refs/heads/main";

  /** Flips one bit of the byte at {@code index} of a base64 value. */
  public static String flip(String base64, int index) {
    byte[] bytes = Base64.getDecoder().decode(base64);
    bytes[Math.floorMod(index, bytes.length)] ^= 0x01;
    return Base64.getEncoder().encodeToString(bytes);
  }
}
