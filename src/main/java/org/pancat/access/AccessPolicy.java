package org.pancat.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pancat.kernel.EntityKind;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/**
 * The one place that decides what a caller may do: write a facility's software, use admin
 * endpoints, see an artifact's reference and its evidence, launch it; and what leaves the node in
 * its feed and what an import from a peer may change. Everything is denied unless a rule here
 * allows it.
 */
@ApplicationScoped
public class AccessPolicy {
  private static final Set<EntityKind> EXPORTED =
      EnumSet.of(
          EntityKind.LICENCE,
          EntityKind.FACILITY,
          EntityKind.SOFTWARE,
          EntityKind.RELEASE,
          EntityKind.ARTIFACT,
          EntityKind.SIGNATURE,
          EntityKind.PROVENANCE,
          EntityKind.TRUST);

  private final Clock clock;
  private final LicenceAcceptances licences;

  @Inject
  AccessPolicy(LicenceAcceptances licences) {
    this(licences, Clock.systemUTC());
  }

  AccessPolicy(LicenceAcceptances licences, Clock clock) {
    this.clock = clock;
    this.licences = licences;
  }

  /** Publishing into a facility: its publishers, or an admin. */
  public void requirePublisherOf(Principal principal, String facilityId) {
    requireAuthenticated(principal);
    if (principal.isAdmin() || principal.isPublisher() && principal.belongsTo(facilityId)) {
      return;
    }
    throw ProblemException.forbidden(
        principal.isPublisher()
            ? "a publisher may only write software of its own facility ("
                + principal.facility().orElse("none")
                + "), not of "
                + facilityId
            : "writing software of " + facilityId + " needs the publisher role of that facility");
  }

  /**
   * Whether the caller manages what a facility publishes from elsewhere (its harvest sources and
   * their runs): an admin, or a publisher of that facility.
   */
  public boolean mayManageFacility(Principal principal, String facilityId) {
    return !principal.isAnonymous()
        && (principal.isAdmin() || principal.isPublisher() && principal.belongsTo(facilityId));
  }

  public void requireAdmin(Principal principal) {
    requireAuthenticated(principal);
    if (!principal.isAdmin()) {
      throw ProblemException.forbidden("this operation needs the admin role");
    }
  }

  /**
   * Reading the federation feed: it carries restricted references (with their conditions, which
   * peers enforce), so only peer nodes and admins may.
   */
  public void requireFederationPeer(Principal principal) {
    requireAuthenticated(principal);
    if (!principal.isAdmin() && !principal.isPeer()) {
      throw ProblemException.forbidden("the federation feed is for peer nodes (role peer)");
    }
  }

  /** Only a peer node itself, by a request signed with its key (not a bearer token). */
  public void requirePeerNode(Principal principal) {
    requireAuthenticated(principal);
    if (!principal.isPeer() || !NodeAuthenticator.NODE_ISSUER.equals(principal.issuer())) {
      throw ProblemException.forbidden(
          "only a peer node may do this, with a request signed by its node key");
    }
  }

  public void requireAuthenticated(Principal principal) {
    if (principal.isAnonymous()) {
      throw new ProblemException(
          ProblemType.UNAUTHORIZED,
          "this operation needs a bearer token",
          List.of(),
          Map.of(),
          Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
    }
  }

  /**
   * May the principal launch the artifact on a compute resource of {@code resourceFacility}? Every
   * rule of {@link #mayReveal} applies, and a non-shareable artifact runs only on its home
   * facility's resources.
   */
  public AccessDecision mayLaunch(
      Principal principal,
      String homeFacility,
      SharingClass sharing,
      SharingConditions conditions,
      String resourceFacility) {
    if (sharing == SharingClass.NON_SHAREABLE && !homeFacility.equals(resourceFacility)) {
      return AccessDecision.deny(
          List.of(
              "non-shareable: runs only on compute resources of "
                  + homeFacility
                  + ", not of "
                  + resourceFacility),
          Map.of());
    }
    return mayReveal(principal, homeFacility, sharing, conditions);
  }

  /**
   * What of an artifact the principal may see: all of it when the reference may be revealed,
   * otherwise neither the reference nor the evidence documents that would name it.
   */
  public Disclosure disclosure(
      Principal principal,
      String homeFacility,
      SharingClass sharing,
      SharingConditions conditions) {
    AccessDecision access = mayReveal(principal, homeFacility, sharing, conditions);
    return access.granted()
        ? Disclosure.whole(access)
        : Disclosure.withoutReference(
            access,
            sharing.value()
                + ": the reference and the evidence documents that name it are withheld ("
                + access.reasons().get(0)
                + ")");
  }

  /**
   * What of an artifact leaves this node in its feed. Peers receive restricted artifacts whole and
   * enforce their conditions; a non-shareable artifact leaves without its reference and without the
   * evidence documents that name it (peers still learn that it exists, and where).
   */
  public Disclosure exportDisclosure(SharingClass sharing) {
    return sharing == SharingClass.NON_SHAREABLE
        ? Disclosure.withoutReference(
            AccessDecision.deny(List.of("non-shareable"), Map.of()),
            "non-shareable: the reference never leaves its home node")
        : Disclosure.whole(AccessDecision.grant("exported to peers, which enforce conditions"));
  }

  /**
   * Whether changes of this kind leave the node in its feed: the catalogue, evidence, trust results
   * and licences do; compute resources, trust policies and vocabularies are this node's own.
   */
  public boolean mayExport(EntityKind kind) {
    return EXPORTED.contains(kind);
  }

  /**
   * Whether one of this node's own changes leaves it in its feed: of an exported kind, and not its
   * judgement of an entry another node owns (its trust in an imported artifact: every node judges
   * by its own policy, and the origin's judgement is relayed as the origin made it).
   */
  public boolean mayExport(EntityKind kind, boolean aboutImportedEntry) {
    return mayExport(kind) && !aboutImportedEntry;
  }

  /**
   * The owner rule: what an import from {@code origin} may change. Every facility and licence has
   * one owner, this node or the origin it was first imported from; a change from any other origin
   * is refused, so a peer cannot write into another node's entries, and a local entry is never
   * overwritten. An entry not here yet is claimed by the first origin that sends it ({@code
   * claims}: the change is the entry itself); a change about something under it waits until the
   * entry has arrived.
   *
   * @param what the entry as a reader names it ("facility esrf")
   */
  public AccessDecision mayImport(String what, Ownership here, String origin, boolean claims) {
    if (!here.known()) {
      return claims
          ? AccessDecision.grant(what + " is new here: " + origin + " owns it from now on")
          : AccessDecision.deny(List.of(what + " was not imported"), Map.of());
    }
    if (here.origin() == null) {
      return AccessDecision.deny(List.of(what + " is local: never overwritten"), Map.of());
    }
    if (!here.origin().equals(origin)) {
      return AccessDecision.deny(
          List.of(what + " belongs to " + here.origin() + ", not to " + origin), Map.of());
    }
    return AccessDecision.grant(what + " belongs to " + origin);
  }

  /**
   * Whether an artifact a peer sends may be stored here. Open and restricted ones come with their
   * reference. A non-shareable one comes without it (its reference never leaves its home node) and
   * is stored so: researchers here learn that the software exists at its home facility and can be
   * used there, and it is never launched anywhere else.
   */
  public AccessDecision mayImportArtifact(
      String artifactId, SharingClass sharing, boolean hasReference) {
    if (sharing == SharingClass.NON_SHAREABLE) {
      // one sent with its reference is not imported: relayed on as its origin signed it, the
      // reference would reach every downstream node
      return hasReference
          ? AccessDecision.deny(
              List.of(
                  "artifact "
                      + artifactId
                      + " is non-shareable but carries its reference, which never leaves its"
                      + " home node: not imported"),
              Map.of())
          : AccessDecision.grant("non-shareable: known here without its reference");
    }
    return hasReference
        ? AccessDecision.grant(sharing.value() + ": imported, conditions enforced here")
        : AccessDecision.deny(
            List.of("artifact " + artifactId + " is " + sharing.value() + " but has no reference"),
            Map.of());
  }

  /**
   * What of an artifact whose reference this node does not hold (non-shareable, imported) anyone
   * may see: everything but the reference, with where it can be used.
   */
  public Disclosure disclosureWithoutReference(String homeFacility) {
    return Disclosure.withoutReference(
        AccessDecision.deny(
            List.of(
                "non-shareable: its reference stays at the node of its home facility "
                    + homeFacility
                    + "; it can be used there"),
            Map.of()),
        "non-shareable: this node does not hold the reference; it is used at " + homeFacility);
  }

  /**
   * May the principal see the pull reference of an artifact of {@code homeFacility} with this
   * sharing class and conditions?
   */
  public AccessDecision mayReveal(
      Principal principal,
      String homeFacility,
      SharingClass sharing,
      SharingConditions conditions) {
    if (sharing == SharingClass.OPEN) {
      return AccessDecision.grant("open");
    }
    if (principal.isAdmin()) {
      return AccessDecision.grant("admin of this node");
    }
    if (sharing == SharingClass.NON_SHAREABLE) {
      return principal.belongsTo(homeFacility)
          ? AccessDecision.grant("member of the home facility " + homeFacility)
          : AccessDecision.deny(
              List.of("non-shareable: only users of " + homeFacility + " may get it"), Map.of());
    }
    if (principal.isPublisher() && principal.belongsTo(homeFacility)) {
      return AccessDecision.grant("publisher of the home facility " + homeFacility);
    }
    Map<String, String> how = new LinkedHashMap<>();
    List<String> unmet = unmetConditions(principal, conditions, how);
    return unmet.isEmpty()
        ? AccessDecision.grant("all sharing conditions are met")
        : AccessDecision.deny(unmet, how);
  }

  /**
   * Refuses sharing conditions nobody could ever meet on this node, before an immutable artifact is
   * published with them: a licence the node does not know, or a pinned version that is not the one
   * users can accept (only the current version can be accepted).
   */
  public void requireSatisfiable(SharingConditions conditions) {
    if (conditions == null || conditions.licence() == null) {
      return;
    }
    String id = conditions.licence().id();
    String pinned = conditions.licence().version();
    String current =
        licences
            .currentVersion(id)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.UNPROCESSABLE,
                        "sharing.conditions.licence: licence "
                            + id
                            + " is not published on this node, so nobody could accept it;"
                            + " publish it first (PUT /api/v1/licences/"
                            + id
                            + ")"));
    if (pinned != null && !pinned.equals(current)) {
      throw new ProblemException(
          ProblemType.UNPROCESSABLE,
          "sharing.conditions.licence: licence "
              + id
              + " is at version "
              + current
              + " on this node and only that version can be accepted; pin "
              + current
              + " or leave the version out");
    }
  }

  /**
   * Every unmet condition of a restricted artifact. Restricted references are only handed to
   * signed-in callers, so each reveal can be audited against a person.
   */
  private List<String> unmetConditions(
      Principal principal, SharingConditions conditions, Map<String, String> how) {
    List<String> unmet = new ArrayList<>();
    if (principal.isAnonymous()) {
      unmet.add("restricted: sign in to check the sharing conditions");
      how.put("signIn", "send a bearer token from an issuer this node trusts");
    }
    if (conditions.licence() != null) {
      String id = conditions.licence().id();
      LicenceAcceptances.LicenceStatus status =
          licences.status(principal, id, conditions.licence().version());
      if (status.requiredVersion() == null) {
        unmet.add("requires licence " + id + ", which this node does not know");
      } else if (!status.accepted()) {
        unmet.add("requires acceptance of licence " + id + " version " + status.requiredVersion());
        how.put("acceptLicence", "/api/v1/licences/" + id + "/acceptances");
        how.put("licence", "/api/v1/licences/" + id);
      }
    }
    if (!conditions.groups().isEmpty()
        && conditions.groups().stream().noneMatch(principal.groups()::contains)) {
      unmet.add("requires membership of one of the groups " + conditions.groups());
    }
    if (!conditions.facilities().isEmpty()
        && conditions.facilities().stream().noneMatch(principal::belongsTo)) {
      unmet.add("requires a user of one of the facilities " + conditions.facilities());
    }
    if (!conditions.locations().isEmpty()
        && conditions.locations().stream()
            .noneMatch(l -> principal.location().map(l::equals).orElse(false))) {
      unmet.add("requires access from one of the locations " + conditions.locations());
    }
    if (conditions.embargoUntil() != null
        && LocalDate.now(clock).isBefore(conditions.embargoUntil())) {
      unmet.add("embargoed until " + conditions.embargoUntil());
    }
    return unmet;
  }
}
