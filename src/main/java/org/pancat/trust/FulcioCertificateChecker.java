package org.pancat.trust;

import dev.sigstore.encryption.certificates.transparency.CTLogInfo;
import dev.sigstore.encryption.certificates.transparency.CTVerificationResult;
import dev.sigstore.encryption.certificates.transparency.CTVerifier;
import dev.sigstore.encryption.certificates.transparency.VerifiedSCT;
import dev.sigstore.trustroot.CertificateAuthority;
import dev.sigstore.trustroot.TransparencyLog;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The Fulcio side of a keyless signature: the leaf is a code-signing certificate, valid at every
 * verified signing time, chaining (JDK PKIX, at that time) to a certificate authority of the
 * trusted root that was valid then, with an embedded SCT from a CT log of the trusted root that was
 * valid when it signed. Only the trusted root's CA certificates are used, never the bundle's.
 *
 * <p>Like sigstore-java's {@code FulcioVerifier} (Apache-2.0), but it validates at the verified
 * times rather than the leaf's notBefore, and reads CT keys other than P-256.
 */
final class FulcioCertificateChecker {
  private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

  private final List<CertificateAuthority> authorities;
  private final List<TransparencyLog> ctLogs;
  private final CTVerifier ctVerifier;

  FulcioCertificateChecker(List<CertificateAuthority> authorities, List<TransparencyLog> ctLogs) {
    this.authorities = List.copyOf(authorities);
    this.ctLogs = List.copyOf(ctLogs);
    List<CTLogInfo> logs = new ArrayList<>();
    for (TransparencyLog log : ctLogs) {
      try {
        logs.add(
            new CTLogInfo(
                SigningKeys.fromTrustedRoot(log.getPublicKey()),
                "CT log",
                String.valueOf(log.getBaseUrl())));
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new IllegalStateException(
            "pancat.trust.trusted-root: the key of CT log "
                + log.getBaseUrl()
                + " is not an EC, RSA or Ed25519 key this node can use",
            e);
      }
    }
    List<CTLogInfo> known = List.copyOf(logs);
    this.ctVerifier =
        new CTVerifier(
            logId ->
                known.stream()
                    .filter(l -> Arrays.equals(l.getID(), logId))
                    .findFirst()
                    .orElse(null));
    for (CertificateAuthority authority : authorities) {
      if (authority.getCertPath().getCertificates().isEmpty()) {
        throw new IllegalStateException(
            "pancat.trust.trusted-root: certificate authority "
                + authority.getUri()
                + " has no certificates");
      }
    }
  }

  /**
   * @param times the verified signing times (at least one)
   */
  void check(X509Certificate leaf, Collection<Instant> times) {
    try {
      List<String> usages = leaf.getExtendedKeyUsage();
      if (usages == null || !usages.contains(CODE_SIGNING)) {
        throw EvidenceRefused.doesNotVerify(
            "the signing certificate is not a code-signing certificate");
      }
    } catch (java.security.cert.CertificateParsingException e) {
      throw EvidenceRefused.doesNotVerify("the signing certificate cannot be read");
    }
    X509Certificate issuer = null;
    for (Instant time : times) {
      validAt(leaf, time);
      issuer = chain(leaf, time);
    }
    checkSct(leaf, issuer);
  }

  /** The leaf must have been valid when it signed (Fulcio leaves live ten minutes). */
  static void validAt(X509Certificate leaf, Instant time) {
    try {
      leaf.checkValidity(Date.from(time));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw EvidenceRefused.doesNotVerify("the signing certificate was not valid at " + time);
    }
  }

  /** Validates leaf → CA chain at {@code time}; returns the certificate that issued the leaf. */
  private X509Certificate chain(X509Certificate leaf, Instant time) {
    List<CertificateAuthority> valid = CertificateAuthority.find(authorities, time);
    if (valid.isEmpty()) {
      throw EvidenceRefused.doesNotVerify(
          "no Fulcio CA of this node's trusted root was valid at " + time);
    }
    for (CertificateAuthority authority : valid) {
      @SuppressWarnings("unchecked")
      List<X509Certificate> caChain =
          (List<X509Certificate>) authority.getCertPath().getCertificates();
      X509Certificate root = caChain.get(caChain.size() - 1);
      List<X509Certificate> path = new ArrayList<>();
      path.add(leaf);
      path.addAll(caChain.subList(0, caChain.size() - 1));
      try {
        CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false); // offline: Fulcio leaves are short-lived
        parameters.setDate(Date.from(time));
        CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        return caChain.get(0);
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this authority: try the next one valid at that time
      }
    }
    throw EvidenceRefused.doesNotVerify(
        "the certificate does not chain to a Fulcio CA of this node's trusted root");
  }

  private void checkSct(X509Certificate leaf, X509Certificate issuer) {
    CTVerificationResult result;
    try {
      result = ctVerifier.verifySignedCertificateTimestamps(List.of(leaf, issuer), null, null);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw EvidenceRefused.doesNotVerify("the signing certificate's SCTs cannot be read");
    }
    for (VerifiedSCT sct : result.getValidSCTs()) {
      Instant logged = Instant.ofEpochMilli(sct.sct.getTimestamp());
      if (TransparencyLog.find(ctLogs, sct.sct.getLogID(), logged).isPresent()) {
        return;
      }
    }
    throw EvidenceRefused.doesNotVerify("no valid SCT from a CT log of the trusted root");
  }
}
