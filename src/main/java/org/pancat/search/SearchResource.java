package org.pancat.search;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pancat.kernel.QueryParams;

/** Capability search over the catalogue. */
@Path("/api/v1/software")
@Tag(name = "search")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {
  private final SearchService search;

  SearchResource(SearchService search) {
    this.search = search;
  }

  @GET
  @Operation(
      operationId = "searchSoftware",
      summary =
          "Search software by text, technique (with narrower techniques), function, format,"
              + " facility, licence, trust, sharing, artifact kind, architecture and GPU",
      description =
          "Searches software by text and by controlled terms (technique, function, format, licence, trust, sharing, kind, architecture, GPU). A technique matches its narrower terms too; an unknown or ambiguous term is a 400 that names the candidates. Restricted software is listed without the references the caller may not have.")
  public SearchResult search(
      @QueryParam("q") String q,
      @QueryParam("technique") List<String> technique,
      @QueryParam("function") List<String> function,
      @QueryParam("format") List<String> format,
      @QueryParam("facility") List<String> facility,
      @QueryParam("licence") List<String> licence,
      @QueryParam("trust") List<String> trust,
      @QueryParam("sharing") List<String> sharing,
      @QueryParam("kind") List<String> kind,
      @QueryParam("arch") List<String> arch,
      @QueryParam("gpu") List<String> gpu,
      @QueryParam("withdrawn")
          @Parameter(
              description = "Include withdrawn software (with its tombstone)",
              schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
          String withdrawn,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    return search.search(
        new SearchService.Request(
            q,
            Map.of("technique", technique, "function", function, "format", format),
            facility,
            licence,
            trust,
            sharing,
            kind,
            arch,
            gpu,
            QueryParams.flag("withdrawn", withdrawn, false),
            page,
            size));
  }
}
