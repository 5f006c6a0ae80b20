package org.pancat.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.sigstore.proto.ProtoMutators;
import dev.sigstore.proto.common.v1.HashOutput;
import dev.sigstore.proto.rekor.v1.TransparencyLogEntry;
import dev.sigstore.proto.rekor.v2.DSSELogEntryV002;
import dev.sigstore.proto.rekor.v2.HashedRekordLogEntryV002;
import dev.sigstore.proto.rekor.v2.Verifier;
import dev.sigstore.rekor.client.RekorEntry;
import dev.sigstore.rekor.client.RekorTypeException;
import dev.sigstore.rekor.client.RekorTypes;
import dev.sigstore.rekor.dsse.v0_0_1.Dsse;
import dev.sigstore.rekor.dsse.v0_0_1.PayloadHash;
import dev.sigstore.rekor.hashedRekord.v0_0_1.HashedRekord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.pancat.trust.ParsedBundle.Envelope;

/**
 * A log entry proves only what its body records, so the body must record this bundle: the same
 * digest (or DSSE payload), the same signature, the same certificate or key (the CVE-2022-36056
 * class of attacks swaps one of them). Bodies are read with sigstore-java's {@link RekorTypes}
 * where it has a type; {@code intoto 0.0.2} (npm provenance, slsa-github-generator v1) has none and
 * is read here.
 */
final class LogEntryBodyChecker {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern PRINTABLE_KIND = Pattern.compile("[A-Za-z0-9._-]{1,32}");

  private LogEntryBodyChecker() {}

  /** The artifact digest a message signature is over, in the algorithm it was signed with. */
  record SignedDigest(DigestAlgorithm algorithm, ByteString digest) {}

  /** An entry logging a message signature: hashedrekord 0.0.1 or 0.0.2. */
  static void checkMessage(
      TransparencyLogEntry entry, ByteString signature, SignedDigest signed, Signer signer) {
    String kind = kindOf(entry);
    switch (kind) {
      case "hashedrekord 0.0.1" -> {
        HashedRekord body = hashedRekordV001(entry);
        DigestAlgorithm algorithm =
            DigestAlgorithm.named(body.getData().getHash().getAlgorithm().value())
                .orElseThrow(() -> mismatch("digest algorithm"));
        if (algorithm != signed.algorithm()
            || !hexEquals(body.getData().getHash().getValue(), signed.digest().toByteArray())) {
          throw mismatch("digest");
        }
        if (!Arrays.equals(base64(body.getSignature().getContent()), signature.toByteArray())) {
          throw mismatch("signature");
        }
        if (!signer.isPem(base64(body.getSignature().getPublicKey().getContent()))) {
          throw mismatch(signer.noun());
        }
      }
      case "hashedrekord 0.0.2" -> {
        HashedRekordLogEntryV002 body = hashedRekordV002(entry);
        if (!isDigest(body.getData(), signed.algorithm(), signed.digest().toByteArray())) {
          throw mismatch("digest");
        }
        checkV2Signature(body.getSignature(), signature, signer);
      }
      default -> throw unsupported(kind, "a message signature");
    }
  }

  /**
   * An entry logging a DSSE envelope: dsse 0.0.1 and 0.0.2, intoto 0.0.2, or (Rekor v2's encoding
   * of DSSE) hashedrekord 0.0.2 over the envelope's PAE.
   */
  static void checkEnvelope(TransparencyLogEntry entry, Envelope envelope, Signer signer) {
    String kind = kindOf(entry);
    byte[] payload = envelope.payload().toByteArray();
    switch (kind) {
      case "dsse 0.0.1" -> {
        Dsse body = dsseV001(entry);
        if (body.getPayloadHash().getAlgorithm() != PayloadHash.Algorithm.SHA_256
            || !hexEquals(
                body.getPayloadHash().getValue(), DigestAlgorithm.SHA256.digest(payload))) {
          throw mismatch("payload");
        }
        if (body.getSignatures().size() != 1) {
          throw mismatch("signatures");
        }
        var logged = body.getSignatures().get(0);
        if (!Arrays.equals(base64(logged.getSignature()), envelope.signature().toByteArray())) {
          throw mismatch("signature");
        }
        if (!signer.isPem(base64(logged.getVerifier()))) {
          throw mismatch(signer.noun());
        }
      }
      case "dsse 0.0.2" -> {
        DSSELogEntryV002 body = dsseV002(entry);
        DigestAlgorithm algorithm =
            DigestAlgorithm.of(body.getPayloadHash().getAlgorithm())
                .orElseThrow(() -> mismatch("payload"));
        if (!isDigest(body.getPayloadHash(), algorithm, algorithm.digest(payload))) {
          throw mismatch("payload");
        }
        if (body.getSignaturesCount() != 1) {
          throw mismatch("signatures");
        }
        checkV2Signature(body.getSignatures(0), envelope.signature(), signer);
      }
      case "hashedrekord 0.0.2" -> {
        HashedRekordLogEntryV002 body = hashedRekordV002(entry);
        // rekor-v2-spec §6.1.4: the digest is over PAE(payloadType, payload), in the hash the
        // signing key's algorithm prehashes with
        DigestAlgorithm algorithm = SigningKeys.defaultDigest(signer.key());
        if (!isDigest(body.getData(), algorithm, algorithm.digest(envelope.pae()))) {
          throw mismatch("envelope");
        }
        checkV2Signature(body.getSignature(), envelope.signature(), signer);
      }
      case "intoto 0.0.2" -> checkIntotoV002(entry, envelope, signer);
      default -> throw unsupported(kind, "a DSSE envelope");
    }
  }

  /**
   * {@code intoto 0.0.2} records the envelope with its signatures and keys each base64-encoded once
   * more (the DSSE signature is already base64), and the payload hash; the payload itself is
   * usually left out.
   */
  private static void checkIntotoV002(
      TransparencyLogEntry entry, Envelope envelope, Signer signer) {
    JsonNode content = body(entry).path("spec").path("content");
    JsonNode logged = content.path("envelope");
    if (!logged.path("payloadType").asText("").equals(envelope.payloadType())) {
      throw mismatch("payload type");
    }
    byte[] payload = envelope.payload().toByteArray();
    JsonNode payloadHash = content.path("payloadHash");
    DigestAlgorithm algorithm =
        DigestAlgorithm.named(payloadHash.path("algorithm").asText(""))
            .orElseThrow(() -> mismatch("payload"));
    if (!hexEquals(payloadHash.path("value").asText(""), algorithm.digest(payload))) {
      throw mismatch("payload");
    }
    if (logged.hasNonNull("payload")
        && !Arrays.equals(base64(ascii(base64(logged.path("payload").asText()))), payload)) {
      throw mismatch("payload");
    }
    JsonNode signatures = logged.path("signatures");
    if (!signatures.isArray() || signatures.size() != 1) {
      throw mismatch("signatures");
    }
    JsonNode only = signatures.get(0);
    byte[] signature = base64(ascii(base64(only.path("sig").asText(""))));
    if (!Arrays.equals(signature, envelope.signature().toByteArray())) {
      throw mismatch("signature");
    }
    if (!signer.isPem(base64(only.path("publicKey").asText("")))) {
      throw mismatch(signer.noun());
    }
  }

  private static void checkV2Signature(
      dev.sigstore.proto.rekor.v2.Signature logged, ByteString signature, Signer signer) {
    if (!logged.getContent().equals(signature)) {
      throw mismatch("signature");
    }
    Verifier verifier = logged.getVerifier();
    boolean certificate = verifier.hasX509Certificate();
    if (!certificate && !verifier.hasPublicKey()) {
      throw malformed();
    }
    if (certificate != signer.certificate().isPresent()) {
      // as sigstore-go and sigstore-python: a certificate-signed bundle's entry names the
      // certificate (and so the identity), not only its key
      throw EvidenceRefused.doesNotVerify(
          "the log entry records a "
              + (certificate ? "certificate" : "public key")
              + " where the bundle has a "
              + (signer.certificate().isPresent() ? "certificate" : "public key"));
    }
    byte[] der =
        certificate
            ? verifier.getX509Certificate().getRawBytes().toByteArray()
            : verifier.getPublicKey().getRawBytes().toByteArray();
    if (!signer.isDer(der, certificate)) {
      throw mismatch(signer.noun());
    }
  }

  /** {@code "<kind> <apiVersion>"} of the body, which must agree with the entry's kindVersion. */
  private static String kindOf(TransparencyLogEntry entry) {
    JsonNode body = body(entry);
    String kind = body.path("kind").asText("") + " " + body.path("apiVersion").asText("");
    if (entry.hasKindVersion()
        && !(entry.getKindVersion().getKind() + " " + entry.getKindVersion().getVersion())
            .equals(kind)) {
      throw EvidenceRefused.doesNotVerify(
          "the transparency-log entry's kind and version do not match its body");
    }
    return kind;
  }

  private static JsonNode body(TransparencyLogEntry entry) {
    try {
      JsonNode body = MAPPER.readTree(entry.getCanonicalizedBody().toByteArray());
      if (body == null || !body.isObject()) {
        throw malformed();
      }
      return body;
    } catch (IOException e) {
      throw malformed();
    }
  }

  private static HashedRekord hashedRekordV001(TransparencyLogEntry entry) {
    try {
      HashedRekord body = RekorTypes.getHashedRekordV001(rekorEntry(entry));
      // the generated classes leave absent fields null: touch each one the checks read
      body.getData().getHash().getAlgorithm().value();
      body.getData().getHash().getValue().length();
      body.getSignature().getContent().length();
      body.getSignature().getPublicKey().getContent().length();
      return body;
    } catch (RekorTypeException | RuntimeException e) {
      throw malformed();
    }
  }

  private static Dsse dsseV001(TransparencyLogEntry entry) {
    try {
      Dsse body = RekorTypes.getDsseV001(rekorEntry(entry));
      body.getPayloadHash().getValue().length();
      for (var signature : body.getSignatures()) {
        signature.getSignature().length();
        signature.getVerifier().length();
      }
      return body;
    } catch (RekorTypeException | RuntimeException e) {
      throw malformed();
    }
  }

  private static HashedRekordLogEntryV002 hashedRekordV002(TransparencyLogEntry entry) {
    try {
      return RekorTypes.getHashedRekordV002(rekorEntry(entry));
    } catch (RekorTypeException | RuntimeException e) {
      throw malformed();
    }
  }

  private static DSSELogEntryV002 dsseV002(TransparencyLogEntry entry) {
    try {
      return RekorTypes.getDsseV002(rekorEntry(entry));
    } catch (RekorTypeException | RuntimeException e) {
      throw malformed();
    }
  }

  private static RekorEntry rekorEntry(TransparencyLogEntry entry) {
    return ProtoMutators.toRekorEntry(entry);
  }

  private static boolean isDigest(HashOutput logged, DigestAlgorithm algorithm, byte[] digest) {
    return logged.getAlgorithm() == algorithm.proto
        && Arrays.equals(logged.getDigest().toByteArray(), digest);
  }

  private static boolean hexEquals(String hex, byte[] digest) {
    try {
      return Arrays.equals(HexFormat.of().parseHex(hex), digest);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Base64 that does not decode compares as nothing, so it never matches. */
  private static byte[] base64(String value) {
    try {
      return Base64.getDecoder().decode(value == null ? "" : value.strip());
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  private static RuntimeException mismatch(String what) {
    return EvidenceRefused.doesNotVerify(
        "the log entry does not match the bundle (different " + what + ")");
  }

  private static RuntimeException malformed() {
    return EvidenceRefused.doesNotVerify("the transparency-log entry's body is malformed");
  }

  private static RuntimeException unsupported(String kind, String content) {
    List<String> parts = List.of(kind.split(" ", -1));
    boolean printable = parts.stream().allMatch(p -> PRINTABLE_KIND.matcher(p).matches());
    return EvidenceRefused.doesNotVerify(
        "unsupported log entry kind " + (printable ? kind : "(unreadable)") + " for " + content);
  }
}
