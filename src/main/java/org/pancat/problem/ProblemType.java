package org.pancat.problem;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every kind of error the node reports. The {@code slug} is part of the stable type URI ({@code
 * /problems/<slug>}); renaming one breaks clients, so only add new ones.
 */
public enum ProblemType {
  MALFORMED_REQUEST(
      "malformed-request",
      400,
      "Malformed request",
      "The request body is not valid JSON, is truncated, has a value of the wrong type or a field"
          + " this endpoint does not know. Nothing was changed."),
  VALIDATION_FAILED(
      "validation-failed",
      400,
      "Validation failed",
      "One or more fields are invalid; the errors list names each field and what is wrong with it."
          + " Nothing was changed."),
  INVALID_IDENTIFIER(
      "invalid-identifier",
      400,
      "Invalid identifier",
      "An identifier in the path or query is not of the allowed form (lower-case ASCII letters,"
          + " digits and a few separators; no path segments, no look-alike characters)."),
  UNAUTHORIZED(
      "unauthorized",
      401,
      "Authentication failed",
      "The bearer token is missing where required, expired, not yet valid, signed by an unknown"
          + " key, issued by an issuer this node does not trust, or meant for another audience."),
  FORBIDDEN(
      "forbidden",
      403,
      "Not allowed",
      "The caller is authenticated but may not do this, for example a publisher writing software"
          + " of another facility, or a non-admin calling an admin endpoint."),
  NOT_FOUND("not-found", 404, "Not found", "There is no such resource on this node."),
  METHOD_NOT_ALLOWED(
      "method-not-allowed",
      405,
      "Method not allowed",
      "This resource does not support the method."),
  NOT_ACCEPTABLE(
      "not-acceptable",
      406,
      "Not acceptable",
      "The node cannot produce a representation in the media type asked for in Accept."),
  CONFLICT(
      "immutable-conflict",
      409,
      "Conflicts with published content",
      "Published releases, artifacts and withdrawn entries are immutable. Publishing the identical"
          + " document again is accepted; a different document for the same identity is refused."),
  LENGTH_REQUIRED(
      "length-required",
      411,
      "Length required",
      "Request bodies must be sent with a Content-Length header (not chunked), so the node can"
          + " check the size limit before reading them."),
  PAYLOAD_TOO_LARGE(
      "payload-too-large",
      413,
      "Request body too large",
      "The request body exceeds the node's size limit (quarkus.http.limits.max-body-size,"
          + " 1 MiB by default). Nothing was read or changed."),
  UNSUPPORTED_MEDIA_TYPE(
      "unsupported-media-type",
      415,
      "Unsupported media type",
      "The request body must be sent as application/json unless the endpoint says otherwise."),
  UNPROCESSABLE(
      "unprocessable",
      422,
      "Request cannot be processed",
      "The request is well-formed but refers to something that does not fit, for example a"
          + " provenance statement whose subject digest is not the artifact's digest."),
  SIGNATURE_INVALID(
      "signature-invalid",
      422,
      "Signature does not verify",
      "A signature or signed provenance was refused because it does not verify over the"
          + " artifact's digest: digest mismatch, bad signature, a certificate that does not chain"
          + " to this node's trusted root, a transparency-log entry that does not verify, or a"
          + " certificate that was not valid when the entry was logged. Nothing was stored."),
  UNKNOWN_CONCEPT(
      "unknown-concept",
      422,
      "Unknown concept",
      "A technique, function or format is not a concept of its vocabulary. The candidates member"
          + " lists concepts whose labels start with the term; use an IRI or an exact label."),
  AMBIGUOUS_TERM(
      "ambiguous-term",
      422,
      "Ambiguous term",
      "The term is the label or acronym of several concepts. The candidates member lists them;"
          + " send the IRI of the one you mean."),
  INVALID_LABEL(
      "invalid-label",
      422,
      "Label refused",
      "An artifact label cannot be handed to a portal as data: a launch environment variable whose"
          + " name is not a POSIX name, a value with a control character, a port that is not a"
          + " number, or an unknown pancat.launch label. The errors list names the label. Nothing"
          + " was changed."),
  INVALID_SCHEME(
      "invalid-scheme",
      422,
      "Invalid concept scheme",
      "The Turtle document is not a valid SKOS concept scheme for this node: syntax, dangling or"
          + " cyclic skos:broader, a removed concept, or an IRI used by another scheme."),
  INTERNAL_ERROR(
      "internal-error",
      500,
      "Internal error",
      "The node failed unexpectedly. Nothing was changed; the node's log has the details under the"
          + " given incident id."),
  SERVICE_UNAVAILABLE(
      "service-unavailable",
      503,
      "Service unavailable",
      "A service the node depends on is not available right now. Try again later.");

  private final String slug;
  private final int status;
  private final String title;
  private final String explanation;

  ProblemType(String slug, int status, String title, String explanation) {
    this.slug = slug;
    this.status = status;
    this.title = title;
    this.explanation = explanation;
  }

  public String slug() {
    return slug;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String explanation() {
    return explanation;
  }

  public String uri() {
    return "/problems/" + slug;
  }

  public static Optional<ProblemType> bySlug(String slug) {
    return Arrays.stream(values()).filter(t -> t.slug.equals(slug)).findFirst();
  }

  /** The type for a bare HTTP status raised by the framework. */
  public static ProblemType forStatus(int status) {
    return Arrays.stream(values())
        .filter(t -> t.status == status)
        .findFirst()
        .orElse(status >= 500 ? INTERNAL_ERROR : MALFORMED_REQUEST);
  }
}
