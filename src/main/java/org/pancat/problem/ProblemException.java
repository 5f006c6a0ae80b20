package org.pancat.problem;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Thrown by any feature to answer with a problem document. Messages must be safe to show: no class
 * names, SQL or restricted references.
 */
public class ProblemException extends RuntimeException {
  private final ProblemType type;
  private final List<Problem.FieldError> errors;
  private final Map<String, Object> extensions;
  private final Map<String, String> headers;

  public ProblemException(
      ProblemType type,
      String detail,
      List<Problem.FieldError> errors,
      Map<String, Object> extensions,
      Map<String, String> headers) {
    super(detail, null, false, false);
    this.type = type;
    this.errors = List.copyOf(errors);
    this.extensions = Map.copyOf(extensions);
    this.headers = Map.copyOf(headers);
  }

  public ProblemException(ProblemType type, String detail) {
    this(type, detail, List.of(), Map.of(), Map.of());
  }

  /**
   * What a caller may be told about a failure a feature threw (its problem's detail), or empty for
   * anything else (a bug, a lost connection), which must not be shown. For code that reports many
   * independent writes instead of answering one request: a harvest's items.
   */
  public static Optional<String> safeDetail(Throwable failure) {
    if (failure instanceof ProblemException problem) {
      return Optional.ofNullable(problem.getMessage());
    }
    if (failure instanceof DomainFailure domain) {
      return Optional.ofNullable(domain.problem().getMessage());
    }
    return Optional.empty();
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(ProblemType.NOT_FOUND, detail);
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(ProblemType.CONFLICT, detail);
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(ProblemType.FORBIDDEN, detail);
  }

  public static ProblemException invalid(String field, String message) {
    return invalid(List.of(new Problem.FieldError(field, message)));
  }

  public static ProblemException invalid(List<Problem.FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " fields are invalid";
    return new ProblemException(ProblemType.VALIDATION_FAILED, detail, errors, Map.of(), Map.of());
  }

  public ProblemType type() {
    return type;
  }

  public List<Problem.FieldError> errors() {
    return errors;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
