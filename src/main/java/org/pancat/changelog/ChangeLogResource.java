package org.pancat.changelog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pancat.access.AccessPolicy;
import org.pancat.access.CurrentPrincipal;

/** Admin view of the raw change log (unfiltered, so it may contain restricted references). */
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
  @Operation(summary = "Read the change log after a sequence number (admin)")
  public ChangePage changes(
      @QueryParam("after") @DefaultValue("0") @Min(0) long after,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
    policy.requireAdmin(current.get());
    List<Change> items = log.after(after, limit);
    long next = items.isEmpty() ? after : items.get(items.size() - 1).seq();
    return new ChangePage(items, next, log.head());
  }
}
