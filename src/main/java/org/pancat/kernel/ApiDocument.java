package org.pancat.kernel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.pancat.problem.Problem;

/**
 * Completes the generated OpenAPI document with what annotations cannot say once for all
 * operations, so that {@code openapi/openapi.yaml} describes what the node really answers: errors
 * as problem+json, creates as 201, paging parameters as the numbers {@link Paging} reads, patterns
 * anchored as Bean Validation applies them, and how callers authenticate.
 */
public class ApiDocument implements OASFilter {
  /**
   * Operation extension: the write answers 201 when it creates, 200 when the entry already stood.
   */
  public static final String CREATES = "x-pancat-creates";

  /** Security scheme of users: an OIDC access token from a trusted issuer. */
  public static final String USER_TOKEN = "bearer";

  /** Security scheme of peer nodes: a request signed with the peer's pinned node key. */
  public static final String NODE_SIGNATURE = "pancatNode";

  private static final String PROBLEM = "#/components/schemas/Problem";
  private static final String INSTANT = "#/components/schemas/Instant";
  private static final String NOT_BLANK = "\\S";

  @Override
  public Operation filterOperation(Operation operation) {
    Map<String, Object> extensions = operation.getExtensions();
    if (extensions != null && extensions.containsKey(CREATES)) {
      operation.removeExtension(CREATES);
      APIResponse existing = operation.getResponses().getAPIResponse("200");
      operation
          .getResponses()
          .addAPIResponse(
              "201",
              OASFactory.createAPIResponse()
                  .description("Created; the Location header names the new entry")
                  .content(existing.getContent())
                  .addHeader(
                      "Location",
                      OASFactory.createHeader()
                          .description("URL of the created entry")
                          .schema(
                              OASFactory.createSchema()
                                  .addType(Schema.SchemaType.STRING)
                                  .format("uri"))));
      existing.description("The entry already stood as sent: nothing changed");
    }
    for (String range : new String[] {"4XX", "5XX"}) {
      operation
          .getResponses()
          .addAPIResponse(
              range,
              OASFactory.createAPIResponse()
                  .description(
                      range.startsWith("4")
                          ? "The request was refused; the problem's type says why"
                          : "The node failed or is overloaded; the problem names an incident")
                  .content(
                      OASFactory.createContent()
                          .addMediaType(
                              Problem.MEDIA_TYPE,
                              OASFactory.createMediaType()
                                  .schema(OASFactory.createSchema().ref(PROBLEM)))));
    }
    return operation;
  }

  @Override
  public Parameter filterParameter(Parameter parameter) {
    if (parameter.getIn() == Parameter.In.QUERY) {
      switch (parameter.getName()) {
        case "page" ->
            parameter.description("Page number, from 1").schema(integer(1, Paging.MAX_PAGE, 1));
        case "size" ->
            parameter
                .description("Items per page")
                .schema(integer(1, Paging.MAX_SIZE, Paging.DEFAULT_SIZE));
        default -> {
          // other query parameters are described where they are read
        }
      }
    }
    return parameter;
  }

  /**
   * Bean Validation matches a {@code @Pattern} against the whole value; JSON Schema searches within
   * it, so the document anchors them. {@code \S} is how SmallRye writes {@code @NotBlank}, which is
   * a search ("contains a non-blank character") and stays as it is.
   */
  @Override
  public Schema filterSchema(Schema schema) {
    String pattern = schema.getPattern();
    if (pattern != null
        && !NOT_BLANK.equals(pattern)
        && !(pattern.startsWith("^") && pattern.endsWith("$"))) {
      schema.setPattern("^(?:" + pattern + ")$");
    }
    return schema;
  }

  /** One line per feature tag, for readers of the document and generated clients. */
  private static final Map<String, String> TAG_DESCRIPTIONS =
      Map.of(
          "access", "Who the caller is, licences and their acceptance, and the access audit",
          "catalogue", "Facilities, software, releases and artifacts with their evidence",
          "changelog", "The node's change log: every write in order",
          "federation", "The signed change feed, snapshot, peers and the node's keys",
          "harvest",
              "Harvest sources (OCI registries, APT repositories, CVMFS lists) and their runs",
          "problems", "What each problem type means",
          "resolve", "Compute resources and which exact artifact to launch on them",
          "search", "Search by text and controlled terms, and the search index",
          "trust", "Facility trust policies",
          "vocab", "Controlled vocabularies: PaNET techniques, functions, formats, capabilities");

  /**
   * A nullable {@code Instant} is generated as {@code allOf: [$ref Instant]} beside {@code
   * nullable}; in OpenAPI 3.0 {@code nullable} does not reach into {@code allOf}, so a null would
   * not validate. It is written inline instead, as the date-time string it is.
   */
  private static void inlineNullableInstants(Schema schema) {
    inlineNullableInstant(schema);
    if (schema.getProperties() != null) {
      schema.getProperties().values().forEach(ApiDocument::inlineNullableInstants);
    }
    if (schema.getItems() != null) {
      inlineNullableInstants(schema.getItems());
    }
  }

  private static void inlineNullableInstant(Schema schema) {
    List<Schema> anyOf = schema.getAnyOf();
    if (anyOf != null
        && anyOf.stream().anyMatch(alternative -> INSTANT.equals(alternative.getRef()))) {
      schema.setAnyOf(null);
      schema.setType(List.of(Schema.SchemaType.STRING, Schema.SchemaType.NULL));
      schema.setFormat("date-time");
    }
  }

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    openAPI.getTags().forEach(tag -> tag.description(TAG_DESCRIPTIONS.get(tag.getName())));
    openAPI.servers(
        List.of(
            OASFactory.createServer()
                .url("{node}")
                .description("A pancat node, at its base URL")
                .variables(
                    Map.of(
                        "node",
                        OASFactory.createServerVariable()
                            .defaultValue("http://localhost:8080")
                            .description(
                                "The node's base URL (pancat.federation.node.base-url)")))));
    openAPI.getComponents().getSchemas().values().forEach(ApiDocument::inlineNullableInstants);
    openAPI.getComponents().addSchema("Problem", problemSchema());
    openAPI
        .getComponents()
        .addSecurityScheme(
            USER_TOKEN,
            OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .bearerFormat("JWT")
                .description(
                    "An OIDC access token from an issuer this node trusts (README, Identity);"
                        + " without one a caller is anonymous"))
        .addSecurityScheme(
            NODE_SIGNATURE,
            OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER)
                .name("Authorization")
                .description(
                    "A peer node's request: `PancatNode <compact JWS>`, ES256 by the peer's pinned"
                        + " node key over method, path and audience, valid for a minute (README,"
                        + " Federation)"));
    // anonymous callers may use every operation that does not name its own requirement
    openAPI.security(
        List.of(
            OASFactory.createSecurityRequirement(),
            OASFactory.createSecurityRequirement().addScheme(USER_TOKEN)));
  }

  private static Schema problemSchema() {
    Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    Schema fieldError =
        OASFactory.createSchema()
            .addType(Schema.SchemaType.OBJECT)
            .properties(ordered("field", text, "message", text));
    return OASFactory.createSchema()
        .addType(Schema.SchemaType.OBJECT)
        .description(
            "RFC 9457 problem document; type is a stable URI under /problems/ that explains the"
                + " problem. Some types add members (a search term's candidates, an incident id).")
        .required(List.of("type", "title", "status"))
        .properties(
            ordered(
                "type",
                OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("uri-reference"),
                "title",
                text,
                "status",
                OASFactory.createSchema().addType(Schema.SchemaType.INTEGER),
                "detail",
                text,
                "instance",
                text,
                "errors",
                OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError)))
        .additionalPropertiesBoolean(true);
  }

  private static Schema integer(long minimum, long maximum, long fallback) {
    return OASFactory.createSchema()
        .addType(Schema.SchemaType.INTEGER)
        .minimum(java.math.BigDecimal.valueOf(minimum))
        .maximum(java.math.BigDecimal.valueOf(maximum))
        .defaultValue(fallback);
  }

  /** Insertion-ordered, so the generated document is the same on every run. */
  private static Map<String, Schema> ordered(Object... namesAndSchemas) {
    Map<String, Schema> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndSchemas.length; i += 2) {
      map.put((String) namesAndSchemas[i], (Schema) namesAndSchemas[i + 1]);
    }
    return map;
  }
}
