package org.pancat.access;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pancat.kernel.ApiDocument;
import org.pancat.kernel.Page;
import org.pancat.kernel.Paging;

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
  @Operation(
      operationId = "listAuditEntries",
      summary = "Read the access audit log, newest first (admin)",
      description =
          "Who was shown or refused a restricted reference, and when, newest first. Admins only.")
  @SecurityRequirement(name = ApiDocument.USER_TOKEN)
  public Page<AccessAudit.Entry> entries(
      @QueryParam("page") String page, @QueryParam("size") String size) {
    policy.requireAdmin(current.get());
    return audit.page(Paging.of(page, size));
  }
}
