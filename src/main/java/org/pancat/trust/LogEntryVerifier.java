package org.pancat.trust;

import dev.sigstore.merkle.InclusionProofVerificationException;
import dev.sigstore.merkle.InclusionProofVerifier;
import dev.sigstore.proto.ProtoMutators;
import dev.sigstore.proto.rekor.v1.InclusionProof;
import dev.sigstore.proto.rekor.v1.TransparencyLogEntry;
import dev.sigstore.rekor.client.Checkpoints;
import dev.sigstore.rekor.client.RekorEntry.Checkpoint;
import dev.sigstore.rekor.client.RekorEntry.CheckpointSignature;
import dev.sigstore.rekor.client.RekorParseException;
import dev.sigstore.trustroot.TransparencyLog;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Proves a transparency-log entry is in a log of the trusted root: the log's key valid at the
 * entry's time, the RFC 6962 inclusion proof, the checkpoint signed by the log, and the signed
 * entry timestamp (SET) when there is one.
 *
 * <p>Adapted from sigstore-java 2.0.0's {@code RekorVerifier} (Copyright The Sigstore Authors,
 * Apache-2.0) on its public primitives ({@link InclusionProofVerifier}, {@link Checkpoints}), with
 * what it leaves out: the log key's validity window, a checkpoint whose log signature is not the
 * first line (witness cosignatures) or whose signer names a host with a port, and keys other than
 * P-256.
 */
final class LogEntryVerifier {
  /** As sigstore-java: more signature lines than this on one checkpoint are refused. */
  private static final int MAX_CHECKPOINT_SIGNATURES = 20;

  /** A log of the trusted root with its key, converted once. */
  private record TrustedLog(TransparencyLog log, PublicKey key) {}

  /**
   * What a verified entry proved.
   *
   * @param signedTime the integrated time when a verified SET signs it (a trusted time)
   * @param integratedTime the integrated time as the entry states it, signed or not
   */
  record VerifiedEntry(Optional<Instant> signedTime, Optional<Instant> integratedTime) {}

  private final List<TrustedLog> logs;
  private final Clock clock;

  LogEntryVerifier(List<TransparencyLog> tlogs, Clock clock) {
    List<TrustedLog> converted = new ArrayList<>();
    for (TransparencyLog log : tlogs) {
      try {
        converted.add(new TrustedLog(log, SigningKeys.fromTrustedRoot(log.getPublicKey())));
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new IllegalStateException(
            "pancat.trust.trusted-root: the key of transparency log "
                + log.getBaseUrl()
                + " is not an EC, RSA or Ed25519 key this node can use",
            e);
      }
    }
    this.logs = List.copyOf(converted);
    this.clock = clock;
  }

  /**
   * @param otherTime when the entry has no SET-signed integrated time (Rekor v2, or a v0.2+ entry
   *     without a SET), the time its log's key must have been valid at: the earliest RFC 3161 time,
   *     else now
   */
  VerifiedEntry verify(TransparencyLogEntry entry, Instant otherTime) {
    Optional<Instant> integrated =
        entry.getIntegratedTime() > 0
            ? Optional.of(Instant.ofEpochSecond(entry.getIntegratedTime()))
            : Optional.empty();
    if (integrated.isPresent() && integrated.get().isAfter(clock.instant())) {
      throw EvidenceRefused.doesNotVerify(
          "the transparency-log entry's integrated time is in the future");
    }
    // an integrated time is only the bundle's word until a SET signs it: without one, the log's
    // key must have been valid at a time this node trusts (found in review)
    boolean promised = !entry.getInclusionPromise().getSignedEntryTimestamp().isEmpty();
    Instant when = promised && integrated.isPresent() ? integrated.get() : otherTime;
    TrustedLog log = logValidAt(entry.getLogId().getKeyId().toByteArray(), when);

    verifyInclusion(entry);
    verifyCheckpoint(entry.getInclusionProof(), log);

    Optional<Instant> signed = Optional.empty();
    if (!entry.getInclusionPromise().getSignedEntryTimestamp().isEmpty()) {
      byte[] signable = ProtoMutators.toRekorEntry(entry).getSignableContent();
      byte[] set = entry.getInclusionPromise().getSignedEntryTimestamp().toByteArray();
      if (!SigningKeys.verifyMessage(log.key(), signable, set)) {
        throw EvidenceRefused.doesNotVerify(
            "the transparency-log entry's signed entry timestamp does not verify with the log's"
                + " key");
      }
      signed = integrated;
    }
    return new VerifiedEntry(signed, integrated);
  }

  private TrustedLog logValidAt(byte[] logId, Instant when) {
    List<TrustedLog> named =
        logs.stream().filter(l -> Arrays.equals(l.log().getLogId().getKeyId(), logId)).toList();
    if (named.isEmpty()) {
      throw EvidenceRefused.doesNotVerify(
          "the transparency-log entry is from a log that is not in this node's trusted root");
    }
    return named.stream()
        .filter(l -> l.log().getPublicKey().getValidFor().contains(when))
        .findFirst()
        .orElseThrow(
            () ->
                EvidenceRefused.doesNotVerify(
                    "the transparency log's key in the trusted root was not valid at " + when));
  }

  /** RFC 6962: the leaf hash of the body, folded with the proof's hashes, gives the root hash. */
  private static void verifyInclusion(TransparencyLogEntry entry) {
    if (!entry.hasInclusionProof()) {
      throw EvidenceRefused.doesNotVerify("the transparency-log entry has no inclusion proof");
    }
    InclusionProof proof = entry.getInclusionProof();
    byte[] body = entry.getCanonicalizedBody().toByteArray();
    byte[] leaf = new byte[body.length + 1];
    System.arraycopy(body, 0, leaf, 1, body.length); // leaf[0] = 0x00, RFC 6962 leaf prefix
    List<byte[]> hashes = proof.getHashesList().stream().map(h -> h.toByteArray()).toList();
    // InclusionProofVerifier folds whatever hashes it is given; RFC 9162 §2.1.3.2 also fixes
    // where the leaf is and how long its path is, which is checked here first
    long index = proof.getLogIndex();
    long size = proof.getTreeSize();
    if (index < 0 || index >= size) {
      throw EvidenceRefused.doesNotVerify("the inclusion proof's leaf index is outside its tree");
    }
    int inner = 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
    int border = Long.bitCount(index >>> inner);
    if (hashes.size() != inner + border
        || proof.getRootHash().size() != 32
        || hashes.stream().anyMatch(h -> h.length != 32)) {
      throw EvidenceRefused.doesNotVerify(
          "the transparency-log entry's inclusion proof does not verify");
    }
    try {
      InclusionProofVerifier.verify(
          DigestAlgorithm.SHA256.digest(leaf),
          proof.getLogIndex(),
          proof.getTreeSize(),
          hashes,
          proof.getRootHash().toByteArray());
    } catch (InclusionProofVerificationException | RuntimeException e) {
      throw EvidenceRefused.doesNotVerify(
          "the transparency-log entry's inclusion proof does not verify");
    }
  }

  /**
   * The checkpoint (a signed note) must commit to the proof's root and size and carry a signature
   * line by the log: its host as signer name, its key id's first four bytes as key hint, and a
   * signature that verifies with its key. Other lines (witness cosignatures) are ignored.
   */
  private static void verifyCheckpoint(InclusionProof proof, TrustedLog log) {
    String envelope = proof.getCheckpoint().getEnvelope();
    if (envelope.isEmpty()) {
      throw EvidenceRefused.doesNotVerify(
          "the transparency-log entry's inclusion proof has no checkpoint");
    }
    Checkpoint checkpoint;
    byte[] rootHash;
    try {
      checkpoint = Checkpoints.from(envelope);
      rootHash = Base64.getDecoder().decode(checkpoint.getBase64Hash());
    } catch (RekorParseException | RuntimeException e) {
      throw EvidenceRefused.doesNotVerify("the transparency-log entry's checkpoint is malformed");
    }
    if (checkpoint.getSignatures().size() > MAX_CHECKPOINT_SIGNATURES) {
      throw EvidenceRefused.doesNotVerify("the checkpoint has too many signatures");
    }
    if (!Arrays.equals(rootHash, proof.getRootHash().toByteArray())) {
      throw EvidenceRefused.doesNotVerify(
          "the checkpoint does not match the inclusion proof (root hash)");
    }
    if (checkpoint.getSize() != proof.getTreeSize()) {
      throw EvidenceRefused.doesNotVerify(
          "the checkpoint does not match the inclusion proof (tree size)");
    }
    URI url = log.log().getBaseUrl();
    Set<String> names =
        url.getPort() < 0 ? Set.of(url.getHost()) : Set.of(url.getHost(), url.getAuthority());
    byte[] keyHint = Arrays.copyOf(log.log().getLogId().getKeyId(), 4);
    byte[] signed = checkpoint.getSignedData().getBytes(StandardCharsets.UTF_8);
    for (CheckpointSignature line : checkpoint.getSignatures()) {
      if (names.contains(line.getIdentity())
          && Arrays.equals(line.getKeyHint(), keyHint)
          && SigningKeys.verifyMessage(log.key(), signed, line.getSignature())) {
        return;
      }
    }
    throw EvidenceRefused.doesNotVerify("the checkpoint is not signed by the transparency log");
  }
}
