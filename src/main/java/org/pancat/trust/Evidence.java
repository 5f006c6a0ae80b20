package org.pancat.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.pancat.access.Disclosure;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.changelog.ImportOutcome;
import org.pancat.changelog.Written;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.EntityKind;
import org.pancat.kernel.NodeSecret;

/**
 * The evidence attached to artifacts (signatures and provenance statements) and the trust judged
 * from it. The catalogue hands over an {@link EvidenceSubject} once it has checked that the caller
 * may write to the artifact; trust verifies, stores, logs and re-judges, and announces each
 * judgement as a {@link TrustJudged} event. Evidence that does not verify is an {@link
 * EvidenceRefused}, and nothing is stored.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Evidence {
  private static final String SIGSTORE_BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle";
  // bounded IN lists: well under every database's parameter limit
  private static final int IN_LIST = 500;

  private final EntityManager em;
  private final CanonicalJson json;
  private final ObjectMapper mapper;
  private final NodeSecret secret;
  private final SignatureVerifier verifier;
  private final TrustPolicies policies;
  private final TrustRecords records;
  private final ChangeLog changeLog;
  private final Event<TrustJudged> judged;

  Evidence(
      EntityManager em,
      CanonicalJson json,
      ObjectMapper mapper,
      NodeSecret secret,
      SignatureVerifier verifier,
      TrustPolicies policies,
      TrustRecords records,
      ChangeLog changeLog,
      Event<TrustJudged> judged) {
    this.em = em;
    this.json = json;
    this.mapper = mapper;
    this.secret = secret;
    this.verifier = verifier;
    this.policies = policies;
    this.records = records;
    this.changeLog = changeLog;
    this.judged = judged;
  }

  /** Verifies a signature over the subject's digest, stores and logs it, and re-judges trust. */
  public Written<SignatureView> addSignature(
      EvidenceSubject subject, SignatureDocument document, String actor) {
    String id = secret.itemId(subject.artifactId(), json.write(document));
    SignatureEntity existing = em.find(SignatureEntity.class, id);
    if (existing != null && existing.verifiedAt != null) {
      return new Written<>(signature(existing, null), false);
    }
    SignatureView view = signature(storeSignature(subject, document, id, actor), null);
    logged(EntityKind.SIGNATURE, subject, id, actor, view);
    return new Written<>(view, true);
  }

  /**
   * Reads a provenance statement about the subject (verifying it when it comes in a Sigstore
   * bundle), stores and logs it, and re-judges trust.
   */
  public Written<ProvenanceView> addProvenance(
      EvidenceSubject subject, JsonNode document, String actor) {
    requireObject(document);
    String id = secret.itemId(subject.artifactId(), json.write(document));
    ProvenanceEntity existing = em.find(ProvenanceEntity.class, id);
    if (existing != null) {
      return new Written<>(provenance(existing, null), false);
    }
    ProvenanceView view = provenance(storeProvenance(subject, document, id, actor), null);
    logged(EntityKind.PROVENANCE, subject, id, actor, view);
    return new Written<>(view, true);
  }

  /**
   * A signature that came from a peer: verified here as if attached by API, then trust re-judged by
   * this node's policy. One that does not verify here is skipped with the reason.
   */
  public ImportOutcome importSignature(
      EvidenceSubject subject, SignatureDocument document, String actor) {
    String id = secret.itemId(subject.artifactId(), json.write(document));
    SignatureEntity existing = em.find(SignatureEntity.class, id);
    if (existing != null && existing.verifiedAt != null) {
      return ImportOutcome.skipped("signature " + id + " is already here");
    }
    return imported(
        "signature", subject, actor, () -> storeSignature(subject, document, id, actor));
  }

  /** A provenance statement that came from a peer: read and verified here, then trust re-judged. */
  public ImportOutcome importProvenance(EvidenceSubject subject, JsonNode statement, String actor) {
    String id = secret.itemId(subject.artifactId(), json.write(statement));
    if (em.find(ProvenanceEntity.class, id) != null) {
      return ImportOutcome.skipped("provenance " + id + " is already here");
    }
    return imported(
        "provenance", subject, actor, () -> storeProvenance(subject, statement, id, actor));
  }

  /** The artifact's signatures, oldest first, as {@code disclosure} allows (null: whole). */
  public List<SignatureView> signatures(String artifactId, Disclosure disclosure) {
    return signatureRows(artifactId).stream().map(s -> signature(s, disclosure)).toList();
  }

  /** The artifact's provenance, oldest first, as {@code disclosure} allows (null: whole). */
  public List<ProvenanceView> provenance(String artifactId, Disclosure disclosure) {
    return provenanceRows(artifactId).stream().map(p -> provenance(p, disclosure)).toList();
  }

  /** Those of the given artifacts that carry a signature or a provenance statement. */
  public Set<String> withEvidence(Collection<String> artifactIds) {
    List<String> all = new ArrayList<>(artifactIds);
    Set<String> found = new HashSet<>();
    for (int from = 0; from < all.size(); from += IN_LIST) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
      found.addAll(
          em.createQuery(
                  "select distinct s.artifactId from SignatureEntity s where s.artifactId in :ids",
                  String.class)
              .setParameter("ids", chunk)
              .getResultList());
      found.addAll(
          em.createQuery(
                  "select distinct p.artifactId from ProvenanceEntity p where p.artifactId in :ids",
                  String.class)
              .setParameter("ids", chunk)
              .getResultList());
    }
    return found;
  }

  /**
   * Judges the subject from its verified signatures, provenance and its facility's policy, logs a
   * changed judgement as a {@code trust} change (so search, history and peers see it) and announces
   * it.
   */
  public TrustResult reevaluate(EvidenceSubject subject, String actor) {
    var policy = policies.current(subject.facilityId());
    List<VerifiedSignature> signatures =
        signatureRows(subject.artifactId()).stream()
            .map(SignatureEntity::verified)
            .filter(Objects::nonNull)
            .toList();
    List<ProvenanceEvidence> provenance =
        provenanceRows(subject.artifactId()).stream()
            .map(
                p ->
                    new ProvenanceEvidence(
                        p.builderId, p.sourceRepository, p.sourceCommit, p.triggeredBy, p.signer()))
            .toList();
    TrustResult result =
        TrustEvaluator.evaluate(
            subject.facilityId(),
            policy.map(TrustPolicies.Versioned::policy).orElse(null),
            policy.map(TrustPolicies.Versioned::version).orElse(null),
            signatures,
            provenance,
            Instant.now());
    judged.fire(new TrustJudged(subject.artifactId(), result.trusted()));
    if (records.record(subject.artifactId(), result)) {
      changeLog.append(
          Change.Op.upsert,
          EntityKind.TRUST,
          subject.artifactId(),
          subject.version(),
          actor,
          Map.of(
              "software", subject.softwareId(), "artifact", subject.artifactId(), "trust", result));
    }
    return result;
  }

  /** Logs newly attached evidence (its item is its id) and re-judges the subject. */
  private void logged(
      EntityKind kind, EvidenceSubject subject, String id, String actor, Object view) {
    changeLog.appendItem(
        Change.Op.upsert,
        kind,
        subject.artifactId(),
        subject.version(),
        id,
        actor,
        Map.of(
            "software",
            subject.softwareId(),
            "artifact",
            subject.artifactId(),
            kind.wireName(),
            view));
    reevaluate(subject, actor);
  }

  /** Stores imported evidence and re-judges the subject, or skips it with the refusal. */
  private ImportOutcome imported(
      String what, EvidenceSubject subject, String actor, Runnable store) {
    try {
      store.run();
    } catch (EvidenceRefused refused) {
      return ImportOutcome.skipped(what + " " + subject.artifactId() + ": " + refused.getMessage());
    }
    reevaluate(subject, actor);
    return ImportOutcome.APPLIED;
  }

  /**
   * Verifies a signature over {@code digest} exactly as {@link #addSignature} would, storing
   * nothing: a harvester checks what it found before it writes anything of the artifact.
   *
   * @throws EvidenceRefused saying why it does not verify
   */
  @Transactional(Transactional.TxType.SUPPORTS) // reads nothing, stores nothing
  public VerifiedSignature check(SignatureDocument document, String digest) {
    validate(document);
    return "sigstore-bundle".equals(document.kind())
        ? verifier.verifyBundle(document.bundle(), digest, document.publicKey())
        : verifier.verifyKeySignature(
            document.publicKey(), document.signature(), document.payload(), digest);
  }

  /**
   * Reads a provenance statement about {@code digest} as {@link #addProvenance} would (verifying it
   * when it comes in a Sigstore bundle), storing nothing.
   *
   * @throws EvidenceRefused saying why it cannot be attached
   */
  @Transactional(Transactional.TxType.SUPPORTS) // reads nothing, stores nothing
  public void checkProvenance(JsonNode document, String digest) {
    requireObject(document);
    ProvenanceStatement.Result read = ProvenanceStatement.read(document, mapper);
    if (read.statement().isEmpty()) {
      throw EvidenceRefused.invalid("body", read.error());
    }
    if (!read.statement().get().covers(digest)) {
      throw EvidenceRefused.doesNotFit(
          "no subject of the provenance statement has the artifact's digest " + digest);
    }
    if (read.statement().get().form() == ProvenanceStatement.Form.SIGSTORE_BUNDLE) {
      verifier.verifyBundle(document, digest);
    }
  }

  private SignatureEntity storeSignature(
      EvidenceSubject subject, SignatureDocument document, String id, String actor) {
    if (subject.digest() == null) {
      validate(document);
      throw EvidenceRefused.doesNotFit(
          "a signature is made over a digest and artifact " + subject.artifactId() + " has none");
    }
    VerifiedSignature verified = check(document, subject.digest());
    SignatureEntity existing = em.find(SignatureEntity.class, id);
    SignatureEntity signature = existing != null ? existing : new SignatureEntity();
    signature.id = id;
    signature.artifactId = subject.artifactId();
    signature.kind = document.kind();
    signature.document = json.write(document);
    signature.signerIdentity = verified.identity();
    signature.signerIssuer = verified.issuer();
    signature.signedAt = verified.signedAt();
    signature.verifiedAt = verified.verifiedAt();
    if (existing == null) {
      signature.attachedAt = verified.verifiedAt();
      signature.attachedBy = actor;
      em.persist(signature);
    }
    return signature;
  }

  private ProvenanceEntity storeProvenance(
      EvidenceSubject subject, JsonNode document, String id, String actor) {
    requireObject(document);
    ProvenanceStatement.Result read = ProvenanceStatement.read(document, mapper);
    if (read.statement().isEmpty()) {
      throw EvidenceRefused.invalid("body", read.error());
    }
    ProvenanceStatement statement = read.statement().get();
    if (subject.digest() == null) {
      throw EvidenceRefused.doesNotFit(
          "provenance binds to a digest and artifact " + subject.artifactId() + " has none");
    }
    if (!statement.covers(subject.digest())) {
      throw EvidenceRefused.doesNotFit(
          "no subject of the provenance statement has the artifact's digest " + subject.digest());
    }
    // a statement in a Sigstore bundle is signed: it must verify, and the signer is recorded
    VerifiedSignature signer =
        statement.form() == ProvenanceStatement.Form.SIGSTORE_BUNDLE
            ? verifier.verifyBundle(document, subject.digest())
            : null;
    ProvenanceEntity provenance = new ProvenanceEntity();
    provenance.id = id;
    provenance.artifactId = subject.artifactId();
    provenance.predicateType = statement.predicateType();
    provenance.builderId = statement.builderId();
    provenance.buildType = statement.buildType();
    provenance.sourceRepository = statement.sourceRepository();
    provenance.sourceCommit = statement.sourceCommit();
    provenance.triggeredBy = statement.triggeredBy();
    provenance.signedBy = signer == null ? null : signer.describe();
    provenance.signerIdentity = signer == null ? null : signer.identity();
    provenance.signerIssuer = signer == null ? null : signer.issuer();
    provenance.document = json.write(document);
    provenance.attachedAt = Instant.now();
    provenance.attachedBy = actor;
    em.persist(provenance);
    return provenance;
  }

  private List<SignatureEntity> signatureRows(String artifactId) {
    return em.createQuery(
            "from SignatureEntity s where s.artifactId = :id order by s.attachedAt, s.id",
            SignatureEntity.class)
        .setParameter("id", artifactId)
        .getResultList();
  }

  private List<ProvenanceEntity> provenanceRows(String artifactId) {
    return em.createQuery(
            "from ProvenanceEntity p where p.artifactId = :id order by p.attachedAt, p.id",
            ProvenanceEntity.class)
        .setParameter("id", artifactId)
        .getResultList();
  }

  private SignatureView signature(SignatureEntity s, Disclosure disclosure) {
    SignatureDocument doc = json.read(s.document, SignatureDocument.class);
    boolean documents = disclosure == null || disclosure.evidence();
    return new SignatureView(
        s.id,
        s.kind,
        documents ? doc.bundle() : null,
        doc.publicKey(),
        documents ? doc.signature() : null,
        documents ? doc.payload() : null,
        s.verified(),
        s.attachedAt,
        s.attachedBy,
        documents ? null : disclosure.withheld());
  }

  private ProvenanceView provenance(ProvenanceEntity p, Disclosure disclosure) {
    boolean documents = disclosure == null || disclosure.evidence();
    return new ProvenanceView(
        p.id,
        p.predicateType,
        p.builderId,
        p.buildType,
        p.sourceRepository,
        p.sourceCommit,
        p.triggeredBy,
        p.signedBy,
        documents ? json.read(p.document, JsonNode.class) : null,
        p.attachedAt,
        p.attachedBy,
        documents ? null : disclosure.withheld());
  }

  private static void requireObject(JsonNode document) {
    if (document == null || !document.isObject()) {
      throw EvidenceRefused.invalid("body", "must be an in-toto statement or DSSE envelope");
    }
  }

  private static void validate(SignatureDocument document) {
    if ("sigstore-bundle".equals(document.kind())) {
      JsonNode bundle = document.bundle();
      if (bundle == null || !bundle.isObject()) {
        throw EvidenceRefused.invalid("bundle", "a sigstore-bundle signature needs the bundle");
      }
      if (!bundle.path("mediaType").asText().startsWith(SIGSTORE_BUNDLE_TYPE)) {
        throw EvidenceRefused.invalid(
            "bundle.mediaType",
            "must be a Sigstore bundle media type (" + SIGSTORE_BUNDLE_TYPE + "...)");
      }
      if (!bundle.has("verificationMaterial")
          || !(bundle.has("messageSignature") || bundle.has("dsseEnvelope"))) {
        throw EvidenceRefused.invalid(
            "bundle", "needs verificationMaterial and a messageSignature or dsseEnvelope");
      }
      if (document.signature() != null || document.payload() != null) {
        throw EvidenceRefused.invalid(
            "kind", "a sigstore-bundle carries its own signature; omit signature and payload");
      }
      // a managed-key bundle names its key by a hint only: the key comes beside it
      boolean managedKey = bundle.path("verificationMaterial").has("publicKey");
      if (managedKey != (document.publicKey() != null)) {
        throw EvidenceRefused.invalid(
            "publicKey",
            managedKey
                ? "this bundle is signed with a managed key: give its PEM public key"
                : "only for a bundle signed with a managed key; this one carries a certificate");
      }
      return;
    }
    if (document.bundle() != null) {
      throw EvidenceRefused.invalid("bundle", "only for kind sigstore-bundle");
    }
    if (document.publicKey() == null
        || !document.publicKey().strip().startsWith("-----BEGIN PUBLIC KEY-----")
        || !document.publicKey().strip().endsWith("-----END PUBLIC KEY-----")) {
      throw EvidenceRefused.invalid("publicKey", "must be a PEM public key");
    }
    try {
      if (document.signature() == null
          || Base64.getDecoder().decode(document.signature()).length == 0) {
        throw EvidenceRefused.invalid("signature", "must be the base64-encoded signature");
      }
    } catch (IllegalArgumentException e) {
      throw EvidenceRefused.invalid("signature", "is not valid base64");
    }
  }
}
