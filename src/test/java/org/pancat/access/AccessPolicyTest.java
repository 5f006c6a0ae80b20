package org.pancat.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pancat.kernel.EntityKind;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/** The decision rules alone, with acceptances given as data and a fixed clock. */
class AccessPolicyTest {
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);

  /** "alice" accepted LicenseRef-X version 2 (the current one); nobody else accepted anything. */
  private static final LicenceAcceptances ACCEPTANCES =
      new LicenceAcceptances() {
        @Override
        public LicenceStatus status(Principal principal, String id, String version) {
          if (!id.equals("LicenseRef-X")) {
            return new LicenceStatus(false, null);
          }
          String required = version == null ? "2" : version;
          return new LicenceStatus(
              "alice".equals(principal.subject()) && required.equals("2"), required);
        }

        @Override
        public Optional<String> currentVersion(String id) {
          return id.equals("LicenseRef-X") ? Optional.of("2") : Optional.empty();
        }
      };

  private final AccessPolicy policy = new AccessPolicy(ACCEPTANCES, NOW);

  private static Principal user(
      String subject, String facility, Set<String> groups, Set<String> roles) {
    return new Principal(
        subject, "idp", Optional.ofNullable(facility), groups, roles, Optional.of("grenoble"));
  }

  private static SharingConditions conditions(
      SharingConditions.LicenceCondition licence,
      List<String> groups,
      List<String> facilities,
      List<String> locations,
      LocalDate embargo) {
    return new SharingConditions(licence, groups, facilities, locations, embargo);
  }

  @Test
  void openIsForEveryone() {
    assertTrue(
        policy
            .mayReveal(Principal.anonymous(), "esrf", SharingClass.OPEN, SharingConditions.NONE)
            .granted());
  }

  @Test
  void restrictedNeedsEveryConditionAndSaysHow() {
    SharingConditions all =
        conditions(
            new SharingConditions.LicenceCondition("LicenseRef-X", null),
            List.of("staff"),
            List.of("esrf", "desy"),
            List.of("grenoble"),
            LocalDate.parse("2026-05-01"));
    assertTrue(
        policy
            .mayReveal(
                user("alice", "desy", Set.of("staff"), Set.of()),
                "esrf",
                SharingClass.RESTRICTED,
                all)
            .granted());
    AccessDecision noGroup =
        policy.mayReveal(
            user("alice", "desy", Set.of(), Set.of()), "esrf", SharingClass.RESTRICTED, all);
    assertFalse(noGroup.granted());
    assertEquals(List.of("requires membership of one of the groups [staff]"), noGroup.reasons());
    AccessDecision noLicence =
        policy.mayReveal(
            user("bob", "desy", Set.of("staff"), Set.of()), "esrf", SharingClass.RESTRICTED, all);
    assertEquals("/api/v1/licences/LicenseRef-X/acceptances", noLicence.how().get("acceptLicence"));
    AccessDecision wrongSite =
        policy.mayReveal(
            user("alice", "psi", Set.of("staff"), Set.of()), "esrf", SharingClass.RESTRICTED, all);
    assertFalse(wrongSite.granted());
  }

  @Test
  void oldLicenceVersionAndUnknownLicenceDoNotCount() {
    SharingConditions pinnedOld =
        conditions(
            new SharingConditions.LicenceCondition("LicenseRef-X", "1"), null, null, null, null);
    assertFalse(
        policy
            .mayReveal(
                user("alice", "desy", Set.of(), Set.of()),
                "esrf",
                SharingClass.RESTRICTED,
                pinnedOld)
            .granted());
    SharingConditions unknown =
        conditions(
            new SharingConditions.LicenceCondition("LicenseRef-Y", null), null, null, null, null);
    assertTrue(
        policy
            .mayReveal(
                user("alice", "desy", Set.of(), Set.of()), "esrf", SharingClass.RESTRICTED, unknown)
            .reasons()
            .get(0)
            .contains("does not know"));
  }

  @Test
  void embargoHoldsUntilItsDate() {
    SharingConditions future = conditions(null, null, null, null, LocalDate.parse("2026-06-02"));
    SharingConditions today = conditions(null, null, null, null, LocalDate.parse("2026-06-01"));
    assertFalse(
        policy
            .mayReveal(
                user("c", "desy", Set.of(), Set.of()), "esrf", SharingClass.RESTRICTED, future)
            .granted());
    assertTrue(
        policy
            .mayReveal(
                user("c", "desy", Set.of(), Set.of()), "esrf", SharingClass.RESTRICTED, today)
            .granted());
    assertFalse(
        policy.mayReveal(Principal.anonymous(), "esrf", SharingClass.RESTRICTED, today).granted(),
        "restricted needs a signed-in caller");
  }

  @Test
  void homePublishersAndAdminsSeeRestricted() {
    SharingConditions never = conditions(null, null, null, null, LocalDate.parse("2999-01-01"));
    assertTrue(
        policy
            .mayReveal(
                user("p", "esrf", Set.of(), Set.of("publisher")),
                "esrf",
                SharingClass.RESTRICTED,
                never)
            .granted());
    assertFalse(
        policy
            .mayReveal(
                user("p", "desy", Set.of(), Set.of("publisher")),
                "esrf",
                SharingClass.RESTRICTED,
                never)
            .granted());
    assertTrue(
        policy
            .mayReveal(
                user("a", null, Set.of(), Set.of("admin")), "esrf", SharingClass.RESTRICTED, never)
            .granted());
  }

  @Test
  void nonShareableStaysHome() {
    Principal home = user("h", "esrf", Set.of(), Set.of());
    Principal other = user("o", "desy", Set.of(), Set.of());
    assertTrue(
        policy
            .mayReveal(home, "esrf", SharingClass.NON_SHAREABLE, SharingConditions.NONE)
            .granted());
    assertFalse(
        policy
            .mayReveal(other, "esrf", SharingClass.NON_SHAREABLE, SharingConditions.NONE)
            .granted());
    assertTrue(
        policy
            .mayLaunch(home, "esrf", SharingClass.NON_SHAREABLE, SharingConditions.NONE, "esrf")
            .granted());
    AccessDecision elsewhere =
        policy.mayLaunch(home, "esrf", SharingClass.NON_SHAREABLE, SharingConditions.NONE, "desy");
    assertFalse(elsewhere.granted());
    assertTrue(elsewhere.reasons().get(0).contains("compute resources of esrf"));
    assertTrue(
        policy
            .mayLaunch(other, "esrf", SharingClass.OPEN, SharingConditions.NONE, "desy")
            .granted());
  }

  @Test
  void conditionsNobodyCouldMeetAreRefused() {
    policy.requireSatisfiable(SharingConditions.NONE);
    policy.requireSatisfiable(licenceCondition("LicenseRef-X", null));
    policy.requireSatisfiable(licenceCondition("LicenseRef-X", "2"));
    ProblemException unknown =
        assertThrows(
            ProblemException.class,
            () -> policy.requireSatisfiable(licenceCondition("LicenseRef-Nowhere", null)));
    assertEquals(ProblemType.UNPROCESSABLE, unknown.type());
    assertTrue(unknown.getMessage().contains("LicenseRef-Nowhere is not published"));
    ProblemException oldVersion =
        assertThrows(
            ProblemException.class,
            () -> policy.requireSatisfiable(licenceCondition("LicenseRef-X", "1")));
    assertTrue(oldVersion.getMessage().contains("is at version 2"), oldVersion.getMessage());
  }

  private static SharingConditions licenceCondition(String id, String version) {
    return new SharingConditions(
        new SharingConditions.LicenceCondition(id, version), null, null, null, null);
  }

  @Test
  void exportSendsRestrictedWholeAndNonShareableWithoutItsReferenceOrEvidence() {
    assertTrue(policy.exportDisclosure(SharingClass.OPEN).reference());
    Disclosure restricted = policy.exportDisclosure(SharingClass.RESTRICTED);
    assertTrue(restricted.reference() && restricted.evidence(), "peers enforce the conditions");
    Disclosure nonShareable = policy.exportDisclosure(SharingClass.NON_SHAREABLE);
    assertFalse(nonShareable.reference());
    assertFalse(nonShareable.evidence(), "signatures and statements name the image");
    assertTrue(nonShareable.withheld().contains("never leaves its home node"));
  }

  @Test
  void onlyTheCatalogueItsEvidenceAndLicencesLeaveTheNode() {
    for (EntityKind kind : EntityKind.values()) {
      boolean local =
          kind == EntityKind.COMPUTE_RESOURCE
              || kind == EntityKind.TRUST_POLICY
              || kind == EntityKind.VOCABULARY_SCHEME
              || kind == EntityKind.HARVEST_SOURCE;
      assertEquals(!local, policy.mayExport(kind), kind.wireName());
    }
  }

  @Test
  void theFirstOriginOfAnEntryOwnsItAndNoOtherMayChangeIt() {
    AccessDecision claim = policy.mayImport("facility psi", Ownership.UNKNOWN, "node-b", true);
    assertTrue(claim.granted(), claim.toString());
    AccessDecision owner =
        policy.mayImport("facility psi", Ownership.of("node-b"), "node-b", false);
    assertTrue(owner.granted(), owner.toString());
  }

  @Test
  void anImportIsRefusedForALocalEntryAnotherOwnersOrOneNotHereYet() {
    assertEquals(
        List.of("facility esrf is local: never overwritten"),
        policy.mayImport("facility esrf", Ownership.of(null), "node-b", true).reasons());
    assertEquals(
        List.of("facility psi belongs to node-b, not to node-c"),
        policy.mayImport("facility psi", Ownership.of("node-b"), "node-c", true).reasons());
    assertEquals(
        List.of("licence LicenseRef-X was not imported"),
        policy.mayImport("licence LicenseRef-X", Ownership.UNKNOWN, "node-b", false).reasons());
    assertFalse(policy.mayImport("facility esrf", Ownership.of(null), "node-b", true).granted());
  }

  @Test
  void aNonShareableArtifactIsImportedWithoutItsReferenceAndOthersOnlyWithOne() {
    assertTrue(policy.mayImportArtifact("a1", SharingClass.NON_SHAREABLE, false).granted());
    AccessDecision withItsReference =
        policy.mayImportArtifact("a1", SharingClass.NON_SHAREABLE, true);
    assertFalse(withItsReference.granted(), "relayed on, the reference would spread");
    assertTrue(withItsReference.reasons().get(0).contains("never leaves its home node"));
    assertEquals(
        List.of("artifact a1 is open but has no reference"),
        policy.mayImportArtifact("a1", SharingClass.OPEN, false).reasons());
    assertTrue(policy.mayImportArtifact("a1", SharingClass.OPEN, true).granted());
    assertTrue(policy.mayImportArtifact("a1", SharingClass.RESTRICTED, true).granted());
    Disclosure elsewhere = policy.disclosureWithoutReference("esrf");
    assertFalse(elsewhere.reference());
    assertTrue(elsewhere.access().reasons().get(0).contains("it can be used there"));
  }

  @Test
  void aNodesOwnJudgementOfAnImportedEntryStaysHome() {
    assertTrue(policy.mayExport(EntityKind.TRUST, false));
    assertFalse(policy.mayExport(EntityKind.TRUST, true));
    assertFalse(policy.mayExport(EntityKind.TRUST_POLICY, false));
  }

  @Test
  void harvestSourcesAreManagedByTheirFacility() {
    String facility = "esrf";
    assertTrue(
        policy.mayManageFacility(
            user("a", null, Set.of(), Set.of(Principal.ROLE_ADMIN)), facility));
    assertTrue(
        policy.mayManageFacility(
            user("p", facility, Set.of(), Set.of(Principal.ROLE_PUBLISHER)), facility));
    assertFalse(
        policy.mayManageFacility(
            user("q", "desy", Set.of(), Set.of(Principal.ROLE_PUBLISHER)), facility));
    assertFalse(policy.mayManageFacility(user("r", facility, Set.of(), Set.of()), facility));
    assertFalse(policy.mayManageFacility(Principal.anonymous(), facility));
    // a harvest writes as a publisher of its own facility, and of no other
    assertTrue(policy.mayManageFacility(Principal.harvester("src", facility), facility));
    assertFalse(policy.mayManageFacility(Principal.harvester("src", facility), "desy"));
  }
}
