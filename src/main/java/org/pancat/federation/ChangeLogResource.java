package org.pancat.federation;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pancat.access.AccessPolicy;
import org.pancat.access.CurrentPrincipal;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.kernel.ApiDocument;
import org.pancat.kernel.QueryParams;

/**
 * Admin view of the raw change log (unfiltered, so it may contain restricted references). It lives
 * beside the feed that is the change log's filtered export, so that {@code changelog} itself
 * depends on no feature: every feature writes to it, none is below it.
 */
@Path("/api/v1/changes")
@Tag(name = "changelog")
@Produces(MediaType.APPLICATION_JSON)
public class ChangeLogResource {
  private final ChangeLog log;
  private final AccessPolicy policy;
  private final CurrentPrincipal current;

  ChangeLogResource(ChangeLog log, AccessPolicy policy, CurrentPrincipal current) {
    this.log = log;
    this.policy = policy;
    this.current = current;
  }

  /** A page of changes; {@code next} is the {@code after} value for the following page. */
  public record ChangePage(List<Change> items, long next, long head) {}

  @GET
  @Operation(
      operationId = "listChanges",
      summary = "Read the change log after a sequence number (admin)",
      description =
          "The node's change log after a sequence number: every write, in order, with its origin. Admins only.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public ChangePage changes(
      @QueryParam("after")
          @Parameter(
              description = "Sequence number after which to read; 0 reads from the start",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
          String afterParam,
      @QueryParam("limit")
          @Parameter(
              description = "Most changes to answer",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "1000",
                      defaultValue = "100"))
          String limitParam) {
    policy.requireAdmin(current.get());
    long after = QueryParams.number("after", afterParam, 0, 0, Long.MAX_VALUE);
    int limit = (int) QueryParams.number("limit", limitParam, 100, 1, 1000);
    List<Change> items = log.after(after, limit);
    long next = items.isEmpty() ? after : items.get(items.size() - 1).seq();
    return new ChangePage(items, next, log.head());
  }
}
