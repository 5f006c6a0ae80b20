package org.pancat.vocab;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pancat.access.CurrentPrincipal;
import org.pancat.kernel.ApiDocument;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;
import org.pancat.kernel.QueryParams;
import org.pancat.problem.ProblemException;

@Path("/api/v1/vocab")
@Tag(name = "vocab")
@Produces(MediaType.APPLICATION_JSON)
public class VocabResource {
  static final String TURTLE = "text/turtle";
  private final Vocabulary vocabulary;
  private final CurrentPrincipal current;

  VocabResource(Vocabulary vocabulary, CurrentPrincipal current) {
    this.vocabulary = vocabulary;
    this.current = current;
  }

  @GET
  @Path("/schemes")
  @Operation(
      operationId = "listConceptSchemes",
      summary = "List the concept schemes with their versions",
      description =
          "The controlled vocabularies this node searches by (PaNET techniques, functions, formats, compute capabilities), each with its source version and revision. Anyone may read them.")
  public Page<Map<String, Object>> schemes(
      @QueryParam("page") String page, @QueryParam("size") String size) {
    return Page.of(
        vocabulary.snapshot().schemes().values().stream().map(vocabulary::describe).toList(),
        Paging.of(page, size));
  }

  @GET
  @Path("/schemes/{id}")
  @Produces(TURTLE)
  @Operation(
      operationId = "getConceptScheme",
      summary = "Get a concept scheme as Turtle",
      description = "One concept scheme as SKOS in Turtle, as this node holds it now.")
  public String scheme(@PathParam("id") String id) {
    return vocabulary.turtle(id);
  }

  @PUT
  @Path("/schemes/{id}")
  @Consumes(TURTLE)
  @Operation(
      operationId = "replaceConceptScheme",
      summary = "Replace a concept scheme with a new revision (admin, Turtle)",
      description =
          "Installs a new revision of a concept scheme from SKOS Turtle. Software tagged with concepts the revision deprecates moves to their replacements in the same transaction; removing a concept still in use is refused. Admins only.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public Map<String, Object> replace(@PathParam("id") String id, @NotNull String body) {
    return vocabulary.describe(vocabulary.replace(id, body, current.get()));
  }

  /** A lookup match: the concept, its scheme, and which label matched how. */
  public record Match(
      String iri,
      String scheme,
      String prefLabel,
      List<String> altLabels,
      String matchedLabel,
      String match,
      boolean deprecated,
      @Schema(nullable = true) String replacedBy) {}

  @GET
  @Path("/lookup")
  @Operation(
      operationId = "lookupConcepts",
      summary =
          "Find concepts by label or acronym: exact matches (all schemes, so ambiguity shows)"
              + " then prefix matches for autocomplete",
      description =
          "Finds concepts by label, acronym or synonym, for search boxes and for checking a term before registering software. Ambiguous acronyms answer every candidate.")
  public Map<String, Object> lookup(
      @QueryParam("q") String q,
      @QueryParam("scheme") String scheme,
      @QueryParam("limit")
          @Parameter(
              description = "Most concepts to answer",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "100",
                      defaultValue = "20"))
          String limitParam) {
    int limit = (int) QueryParams.number("limit", limitParam, 20, 1, 100);
    if (q == null || q.isBlank()) {
      throw ProblemException.invalid("q", "must not be empty");
    }
    if (scheme != null && !vocabulary.snapshot().schemes().containsKey(scheme)) {
      throw ProblemException.invalid("scheme", "unknown scheme; see /api/v1/vocab/schemes");
    }
    VocabularySnapshot v = vocabulary.snapshot();
    List<Match> matches = new ArrayList<>();
    for (Concept c : v.exact(q, scheme)) {
      matches.add(match(c, q, "exact"));
    }
    for (Concept c : v.prefixed(q, scheme, limit)) {
      matches.add(match(c, q, "prefix"));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("q", q);
    result.put("ambiguous", v.exact(q, scheme).size() > 1);
    result.put("matches", matches.stream().limit(limit).toList());
    return result;
  }

  /** A concept with labels, definition, broader and narrower concepts. */
  public record ConceptView(
      String iri,
      String scheme,
      String prefLabel,
      List<String> altLabels,
      @Schema(nullable = true) String definition,
      List<Map<String, Object>> broader,
      List<Map<String, Object>> narrower,
      boolean deprecated,
      String replacedBy) {}

  @GET
  @Path("/concepts/{iri}")
  @Operation(
      operationId = "getConcept",
      summary = "Get a concept by its IRI (URL-encoded)",
      description =
          "One concept with its labels, broader and narrower terms, and its replacement when deprecated.")
  public ConceptView concept(@PathParam("iri") String iri) {
    VocabularySnapshot v = vocabulary.snapshot();
    Concept c = v.concept(iri).orElseThrow(() -> ProblemException.notFound("no concept " + iri));
    return new ConceptView(
        c.iri(),
        c.scheme(),
        c.prefLabel(),
        c.altLabels(),
        c.definition(),
        c.broader().stream().sorted().map(b -> ref(v, b)).toList(),
        v.narrower(c.iri()).stream().map(n -> ref(v, n)).toList(),
        c.deprecated(),
        c.replacedBy());
  }

  private static Map<String, Object> ref(VocabularySnapshot v, String iri) {
    return Map.of("iri", iri, "prefLabel", v.concept(iri).map(Concept::prefLabel).orElse(iri));
  }

  private static Match match(Concept c, String q, String how) {
    return new Match(
        c.iri(),
        c.scheme(),
        c.prefLabel(),
        c.altLabels(),
        VocabularySnapshot.matchedLabel(c, q),
        how,
        c.deprecated(),
        c.replacedBy());
  }
}
