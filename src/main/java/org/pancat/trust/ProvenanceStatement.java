package org.pancat.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An in-toto statement carrying build provenance (SLSA v1 or v0.2), given plain, inside a DSSE
 * envelope, or inside a Sigstore bundle's DSSE envelope. Only reads it; the bundle's signature is
 * checked by {@link SignatureVerifier}.
 */
record ProvenanceStatement(
    Form form,
    JsonNode statement,
    String predicateType,
    List<String> subjectDigests,
    String builderId,
    String buildType,
    String sourceRepository,
    String sourceCommit,
    String triggeredBy) {

  private static final Set<String> STATEMENT_TYPES =
      Set.of("https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1");
  private static final String IN_TOTO_PAYLOAD = "application/vnd.in-toto+json";
  private static final String SIGSTORE_BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle";

  /**
   * How the statement came: only a {@link #SIGSTORE_BUNDLE} is signed in a way this node checks
   * (and must then verify); the others are claims.
   */
  enum Form {
    PLAIN,
    DSSE_ENVELOPE,
    SIGSTORE_BUNDLE
  }

  /**
   * Reads the statement, or returns the reason it is not one. A Sigstore bundle must carry the
   * statement in its DSSE envelope, whose signature is what verification checks: fields of a bundle
   * outside the envelope are never read as the statement (a message-signature bundle with statement
   * fields beside its signature would otherwise pass as signed provenance).
   */
  static Result read(JsonNode document, ObjectMapper mapper) {
    JsonNode statement = document;
    Form form;
    JsonNode envelope;
    if (document.has("mediaType")
        || document.has("verificationMaterial")
        || document.has("messageSignature")
        || document.has("dsseEnvelope")) {
      if (!document.path("mediaType").asText().startsWith(SIGSTORE_BUNDLE_TYPE)) {
        return Result.error("mediaType must be a Sigstore bundle media type");
      }
      if (!document.path("dsseEnvelope").isObject() || document.has("messageSignature")) {
        return Result.error(
            "a Sigstore bundle carries provenance as an in-toto statement in its dsseEnvelope;"
                + " this one signs a message, not a statement");
      }
      form = Form.SIGSTORE_BUNDLE;
      envelope = document.get("dsseEnvelope");
    } else if (document.has("payloadType")) {
      form = Form.DSSE_ENVELOPE;
      envelope = document;
    } else {
      form = Form.PLAIN;
      envelope = null;
    }
    if (envelope != null) {
      if (!IN_TOTO_PAYLOAD.equals(envelope.path("payloadType").asText())) {
        return Result.error("DSSE payloadType must be " + IN_TOTO_PAYLOAD);
      }
      try {
        byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asText());
        statement = mapper.readTree(payload);
      } catch (IllegalArgumentException | IOException e) {
        return Result.error("DSSE payload is not base64-encoded JSON");
      }
    }
    if (statement == null || !statement.isObject()) {
      return Result.error("provenance must be an in-toto statement (JSON object)");
    }
    if (!STATEMENT_TYPES.contains(statement.path("_type").asText())) {
      return Result.error("_type must be one of " + STATEMENT_TYPES);
    }
    String predicateType = statement.path("predicateType").asText();
    if (predicateType.isBlank()) {
      return Result.error("predicateType is missing");
    }
    List<String> digests = new ArrayList<>();
    for (JsonNode subject : statement.path("subject")) {
      subject
          .path("digest")
          .fields()
          .forEachRemaining(e -> digests.add(e.getKey() + ":" + e.getValue().asText()));
    }
    if (digests.isEmpty()) {
      return Result.error("statement has no subject digest");
    }
    JsonNode predicate = statement.path("predicate");
    return Result.ok(
        new ProvenanceStatement(
            form,
            statement,
            predicateType,
            digests,
            first(predicate.at("/runDetails/builder/id"), predicate.at("/builder/id")),
            first(predicate.at("/buildDefinition/buildType"), predicate.at("/buildType")),
            first(
                predicate.at("/buildDefinition/externalParameters/workflow/repository"),
                predicate.at("/buildDefinition/externalParameters/source/uri"),
                predicate.at("/buildDefinition/resolvedDependencies/0/uri"),
                predicate.at("/invocation/configSource/uri")),
            first(
                predicate.at("/buildDefinition/resolvedDependencies/0/digest/gitCommit"),
                predicate.at("/buildDefinition/resolvedDependencies/0/digest/sha1"),
                predicate.at("/invocation/configSource/digest/sha1")),
            first(
                predicate.at("/buildDefinition/internalParameters/github/actor"),
                predicate.at("/buildDefinition/internalParameters/triggeredBy"),
                predicate.at("/runDetails/metadata/triggeredBy"),
                predicate.at("/invocation/environment/github_actor"))));
  }

  boolean covers(String digest) {
    return subjectDigests.contains(digest);
  }

  private static String first(JsonNode... candidates) {
    for (JsonNode node : candidates) {
      if (node.isTextual() && !node.asText().isBlank()) {
        return node.asText().length() > 1000 ? node.asText().substring(0, 1000) : node.asText();
      }
    }
    return null;
  }

  record Result(Optional<ProvenanceStatement> statement, String error) {
    static Result ok(ProvenanceStatement statement) {
      return new Result(Optional.of(statement), null);
    }

    static Result error(String error) {
      return new Result(Optional.empty(), error);
    }
  }
}
