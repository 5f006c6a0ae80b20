package org.pancat.problem;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;

/** Documents that every operation answers errors with problem+json (RFC 9457). */
public class ProblemResponsesFilter implements OASFilter {
  private static final String REF = "#/components/schemas/Problem";

  @Override
  public Operation filterOperation(Operation operation) {
    for (String range : new String[] {"4XX", "5XX"}) {
      operation
          .getResponses()
          .addAPIResponse(
              range,
              OASFactory.createAPIResponse()
                  .description(range.startsWith("4") ? "The request was refused" : "Node failure")
                  .content(
                      OASFactory.createContent()
                          .addMediaType(
                              Problem.MEDIA_TYPE,
                              OASFactory.createMediaType()
                                  .schema(OASFactory.createSchema().ref(REF)))));
    }
    return operation;
  }

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    Schema fieldError =
        OASFactory.createSchema()
            .addType(Schema.SchemaType.OBJECT)
            .properties(ordered("field", text, "message", text));
    openAPI
        .getComponents()
        .addSchema(
            "Problem",
            OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description(
                    "RFC 9457 problem document; type is a stable URI under /problems/ that"
                        + " explains the problem")
                .required(java.util.List.of("type", "title", "status"))
                .properties(
                    ordered(
                        "type", text,
                        "title", text,
                        "status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER),
                        "detail", text,
                        "instance", text,
                        "errors",
                            OASFactory.createSchema()
                                .addType(Schema.SchemaType.ARRAY)
                                .items(fieldError))));
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
