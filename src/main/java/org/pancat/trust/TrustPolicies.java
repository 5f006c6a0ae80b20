package org.pancat.trust;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.pancat.access.AccessPolicy;
import org.pancat.access.Principal;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.changelog.Written;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.EntityKind;
import org.pancat.kernel.RetriedOnConflict;

/**
 * Facility trust policies on this node. A change bumps the version, is logged, and re-evaluates
 * every artifact of the facility in the same transaction ({@link TrustPolicyChanged}).
 */
@ApplicationScoped
@RetriedOnConflict
public class TrustPolicies {
  private final EntityManager em;
  private final CanonicalJson json;
  private final ChangeLog changeLog;
  private final AccessPolicy access;
  private final Event<TrustPolicyChanged> changed;
  private final FacilityDirectory facilities;

  TrustPolicies(
      EntityManager em,
      CanonicalJson json,
      ChangeLog changeLog,
      AccessPolicy access,
      Event<TrustPolicyChanged> changed,
      FacilityDirectory facilities) {
    this.facilities = facilities;
    this.em = em;
    this.json = json;
    this.changeLog = changeLog;
    this.access = access;
    this.changed = changed;
  }

  /** A policy as shown, with its version. */
  public record PolicyView(
      String facility,
      int version,
      TrustPolicy policy,
      Map<String, String> keyFingerprints,
      Instant updatedAt,
      String updatedBy) {}

  /** A facility's policy with its version, for evaluation. */
  public record Versioned(TrustPolicy policy, int version) {}

  @Transactional
  public Optional<PolicyView> view(String facility) {
    return Optional.ofNullable(em.find(TrustPolicyEntity.class, facility)).map(this::view);
  }

  /** The policy evaluation uses, or empty when the facility has none on this node. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Optional<Versioned> current(String facility) {
    return Optional.ofNullable(em.find(TrustPolicyEntity.class, facility))
        .map(e -> new Versioned(json.read(e.document, TrustPolicy.class), e.version));
  }

  /** Sets a facility's policy (admin); the facility must be registered. */
  @Transactional
  public Written<PolicyView> put(String facility, TrustPolicy policy, Principal principal) {
    access.requireAdmin(principal);
    facilities.requireFacility(facility);
    policy.check();
    String canonical = json.write(policy);
    TrustPolicyEntity entity =
        em.find(TrustPolicyEntity.class, facility, LockModeType.PESSIMISTIC_WRITE);
    if (entity != null && entity.document.equals(canonical)) {
      return new Written<>(view(entity), false);
    }
    boolean created = entity == null;
    if (created) {
      entity = new TrustPolicyEntity();
      entity.facilityId = facility;
      entity.version = 0;
    }
    entity.version++;
    entity.document = canonical;
    entity.updatedAt = Instant.now();
    entity.updatedBy = principal.actor();
    if (created) {
      em.persist(entity);
    }
    PolicyView view = view(entity);
    changeLog.append(
        Change.Op.upsert,
        EntityKind.TRUST_POLICY,
        facility,
        Integer.toString(entity.version),
        principal.actor(),
        view);
    em.flush();
    changed.fire(new TrustPolicyChanged(facility, principal.actor()));
    return new Written<>(view, created);
  }

  private PolicyView view(TrustPolicyEntity e) {
    TrustPolicy policy = json.read(e.document, TrustPolicy.class);
    Map<String, String> fingerprints = new HashMap<>();
    policy
        .publicKeys()
        .forEach(k -> fingerprints.put(k.name(), SignatureVerifier.fingerprint(k.publicKey())));
    return new PolicyView(
        e.facilityId, e.version, policy, Map.copyOf(fingerprints), e.updatedAt, e.updatedBy);
  }
}
