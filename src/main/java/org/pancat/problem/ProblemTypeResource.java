package org.pancat.problem;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Serves the page behind each problem type URI, so a {@code type} is a link a person can open. */
@Path("/problems")
@Tag(name = "problems")
public class ProblemTypeResource {

  @GET
  @Path("/{slug}")
  @Produces(MediaType.TEXT_HTML)
  @Operation(
      operationId = "explainProblemType",
      summary = "Explain a problem type",
      description =
          "The page a problem document's type URI points to: what the problem means and how to fix the request.")
  public String explain(@PathParam("slug") String slug) {
    ProblemType type =
        ProblemType.bySlug(slug)
            .orElseThrow(() -> ProblemException.notFound("no such problem type"));
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + type.title()
        + "</title></head><body><h1>"
        + type.title()
        + "</h1><p>HTTP status "
        + type.status()
        + "</p><p>"
        + type.explanation()
        + "</p><p>Type URI: <code>"
        + type.uri()
        + "</code></p></body></html>";
  }
}
