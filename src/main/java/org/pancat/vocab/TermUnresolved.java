package org.pancat.vocab;

import java.util.List;
import java.util.Map;
import org.pancat.problem.DomainFailure;
import org.pancat.problem.Problem;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/**
 * A term that names no concept of its scheme, or several: the field it came in, the scheme and the
 * candidates, so a caller can pick one. A peers file naming one stops the node; a request is
 * answered with the candidates.
 */
public final class TermUnresolved extends DomainFailure {
  /** Where the term was used, which decides how the answer is typed. */
  public enum Use {
    /** A tag of a registered document: an unknown concept, or an ambiguous term. */
    TAG,
    /** A value a request filters or constrains by: a validation failure. */
    VALUE
  }

  private final Use use;
  private final String field;
  private final String scheme;
  private final Vocabulary.Resolution resolution;

  TermUnresolved(Use use, String field, String scheme, Vocabulary.Resolution resolution) {
    super(
        (resolution.ambiguous() ? "ambiguous " : "unknown ")
            + scheme
            + " term '"
            + resolution.term()
            + "'"
            + (resolution.candidates().isEmpty() ? "" : "; candidates are listed"));
    this.use = use;
    this.field = field;
    this.scheme = scheme;
    this.resolution = resolution;
  }

  /** The request field or parameter the term came in. */
  public String field() {
    return field;
  }

  /** The term and the concepts it could mean. */
  public Vocabulary.Resolution resolution() {
    return resolution;
  }

  @Override
  public ProblemException problem() {
    ProblemType type =
        use == Use.VALUE
            ? ProblemType.VALIDATION_FAILED
            : resolution.ambiguous() ? ProblemType.AMBIGUOUS_TERM : ProblemType.UNKNOWN_CONCEPT;
    List<Map<String, Object>> candidates =
        resolution.candidates().stream().map(Vocabulary::candidate).toList();
    return new ProblemException(
        type,
        getMessage(),
        List.of(new Problem.FieldError(field, getMessage())),
        Map.of("term", resolution.term(), "scheme", scheme, "candidates", candidates),
        Map.of());
  }
}
