package org.pancat.access;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pancat.problem.ProblemException;

@Path("/api/v1/audit")
@Tag(name = "access")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
  private final AccessAudit audit;
  private final AccessPolicy policy;
  private final CurrentPrincipal current;

  AuditResource(AccessAudit audit, AccessPolicy policy, CurrentPrincipal current) {
    this.audit = audit;
    this.policy = policy;
    this.current = current;
  }

  @GET
  @Operation(summary = "Read the access audit log after an entry id (admin)")
  public List<AccessAudit.Entry> entries(
      @QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    policy.requireAdmin(current.get());
    if (after < 0 || limit < 1 || limit > 1000) {
      throw ProblemException.invalid("limit", "after must be >= 0 and limit from 1 to 1000");
    }
    return audit.after(after, limit);
  }
}
