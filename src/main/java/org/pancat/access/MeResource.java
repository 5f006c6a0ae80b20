package org.pancat.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tells callers who the node thinks they are, which helps debug tokens and claim mappings. */
@Path("/api/v1/me")
@Tag(name = "access")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {
  private final CurrentPrincipal current;
  private final LicenceService licences;

  MeResource(CurrentPrincipal current, LicenceService licences) {
    this.current = current;
    this.licences = licences;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Me(
      boolean authenticated,
      String subject,
      String issuer,
      String facility,
      List<String> groups,
      List<String> roles,
      String location,
      List<LicenceService.Acceptance> acceptances) {}

  @GET
  @Operation(
      operationId = "getCaller",
      summary = "Who the node thinks the caller is, with their licence acceptances",
      description =
          "Who the node thinks the caller is (anonymous, a user of a facility, a peer node), with their roles and licence acceptances.")
  public Me me() {
    Principal p = current.get();
    return new Me(
        !p.isAnonymous(),
        p.subject(),
        p.issuer(),
        p.facility().orElse(null),
        p.groups().stream().sorted().toList(),
        p.roles().stream().sorted().toList(),
        p.location().orElse(null),
        licences.acceptances(p));
  }
}
