package org.pancat.harvest.apt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Verifies an OpenPGP cleartext-signed message (RFC 4880 section 7, RFC 9580 section 7) with Bouncy
 * Castle, and hands back the signed text only: what was verified is what is parsed.
 */
final class ClearSignedVerifier {
  private static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
  private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
  private static final String END_SIGNATURE = "-----END PGP SIGNATURE-----";
  private static final String BEGIN_KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
  private static final String END_KEY = "-----END PGP PUBLIC KEY BLOCK-----";
  private static final Set<Integer> ACCEPTED_HASHES =
      Set.of(HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA512);
  private static final Set<String> ACCEPTED_HASH_HEADERS = Set.of("SHA256", "SHA384", "SHA512");

  /** The verified text (lines joined with "\n", UTF-8) and the fingerprint of the key. */
  record Verified(String text, String signerFingerprint) {}

  private record Message(List<String> hashHeaders, byte[] canonical, String text, String armor) {}

  private ClearSignedVerifier() {}

  /** The archive keys: every primary key and subkey of every armoured block given. */
  static List<PGPPublicKeyRing> readKeys(String armoredKey) throws AptRefused {
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    int from = armoredKey == null ? -1 : armoredKey.indexOf(BEGIN_KEY);
    while (from >= 0) {
      int end = armoredKey.indexOf(END_KEY, from);
      if (end < 0) {
        throw new AptRefused("the archive key is not a complete ASCII-armoured OpenPGP key block");
      }
      String block = armoredKey.substring(from, end + END_KEY.length()) + "\n";
      try (InputStream in =
          new ArmoredInputStream(
              new ByteArrayInputStream(block.getBytes(StandardCharsets.UTF_8)))) {
        PGPPublicKeyRingCollection collection =
            new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
        collection.getKeyRings().forEachRemaining(rings::add);
      } catch (IOException | PGPException | RuntimeException e) {
        throw new AptRefused("the archive key is not a readable OpenPGP public key block");
      }
      from = armoredKey.indexOf(BEGIN_KEY, end);
    }
    if (rings.isEmpty()) {
      throw new AptRefused("the archive key holds no ASCII-armoured OpenPGP public key");
    }
    return rings;
  }

  static Verified verify(byte[] bytes, List<PGPPublicKeyRing> rings, String what)
      throws AptRefused {
    Message message = parse(bytes, what);
    PGPSignatureList signatures = readSignatures(message.armor(), what);
    boolean anyKeyMatched = false;
    String otherKey = null;
    String refusedHash = null;
    for (PGPSignature signature : signatures) {
      if (signature.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
        continue;
      }
      if (!ACCEPTED_HASHES.contains(signature.getHashAlgorithm())) {
        refusedHash = hashName(signature.getHashAlgorithm());
        continue;
      }
      if (!message.hashHeaders().isEmpty()
          && !message.hashHeaders().contains(hashName(signature.getHashAlgorithm()))) {
        throw new AptRefused(
            "the "
                + what
                + " signature uses "
                + hashName(signature.getHashAlgorithm())
                + ", which its Hash header does not announce");
      }
      List<PGPPublicKey> candidates = candidates(rings, signature);
      if (candidates.isEmpty()) {
        if (otherKey == null) {
          otherKey = issuer(signature);
        }
        continue;
      }
      anyKeyMatched = true;
      for (PGPPublicKey key : candidates) {
        if (verifies(signature, key, message.canonical())) {
          return new Verified(message.text(), hex(key.getFingerprint()));
        }
      }
    }
    if (anyKeyMatched) {
      throw new AptRefused("the " + what + " signature does not verify against the archive key");
    }
    if (otherKey != null) {
      throw new AptRefused(
          "the "
              + what
              + " is signed by another key ("
              + otherKey
              + "), not by the archive key given");
    }
    if (refusedHash != null) {
      throw new AptRefused(
          "the "
              + what
              + " signature uses the hash algorithm "
              + refusedHash
              + ", which is not accepted (SHA256, SHA384 or SHA512 are)");
    }
    throw new AptRefused("the " + what + " carries no usable document signature");
  }

  private static boolean verifies(PGPSignature signature, PGPPublicKey key, byte[] canonical) {
    try {
      signature.init(new BcPGPContentVerifierBuilderProvider(), key);
      signature.update(canonical);
      return signature.verify();
    } catch (PGPException | RuntimeException e) {
      return false;
    }
  }

  /** The keys and subkeys that may have made the signature and may sign at its time. */
  private static List<PGPPublicKey> candidates(
      List<PGPPublicKeyRing> rings, PGPSignature signature) {
    byte[] issuerFingerprint = issuerFingerprint(signature);
    long keyId = signature.getKeyID();
    List<PGPPublicKey> found = new ArrayList<>();
    for (PGPPublicKeyRing ring : rings) {
      PGPPublicKey primary = ring.getPublicKey();
      for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
        PGPPublicKey key = it.next();
        boolean named =
            issuerFingerprint != null
                ? java.util.Arrays.equals(issuerFingerprint, key.getFingerprint())
                : keyId == 0 || key.getKeyID() == keyId;
        if (named && maySign(primary, key, signature.getCreationTime())) {
          found.add(key);
        }
      }
    }
    return found;
  }

  private static boolean maySign(PGPPublicKey primary, PGPPublicKey key, Date at) {
    if (key.hasRevocation() || primary.hasRevocation()) {
      return false;
    }
    if (!validAt(primary, at) || !validAt(key, at)) {
      return false;
    }
    if (key == primary) {
      Iterator<PGPSignature> sigs = key.getSignatures();
      boolean anyFlags = false;
      boolean signFlag = false;
      while (sigs.hasNext()) {
        PGPSignature sig = sigs.next();
        if (sig.getKeyID() == key.getKeyID() && sig.getHashedSubPackets() != null) {
          int flags = sig.getHashedSubPackets().getKeyFlags();
          if (sig.getHashedSubPackets().hasSubpacket(27)) {
            anyFlags = true;
            signFlag |= (flags & KeyFlags.SIGN_DATA) != 0;
          }
        }
      }
      return !anyFlags || signFlag;
    }
    // a subkey counts only with a binding signature of its primary key that verifies
    Iterator<PGPSignature> bindings = key.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
    while (bindings.hasNext()) {
      PGPSignature binding = bindings.next();
      try {
        binding.init(new BcPGPContentVerifierBuilderProvider(), primary);
        if (!binding.verifyCertification(primary, key)) {
          continue;
        }
      } catch (PGPException | RuntimeException e) {
        continue;
      }
      PGPSignatureSubpacketVector hashed = binding.getHashedSubPackets();
      if (hashed != null && hashed.hasSubpacket(27)) {
        if ((hashed.getKeyFlags() & KeyFlags.SIGN_DATA) == 0) {
          continue;
        }
      }
      if (hashed != null && hashed.getKeyExpirationTime() > 0) {
        long expires = key.getCreationTime().getTime() + hashed.getKeyExpirationTime() * 1000L;
        if (at.getTime() > expires) {
          continue;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean validAt(PGPPublicKey key, Date at) {
    if (key.getCreationTime().after(at)) {
      return false;
    }
    long seconds = key.getValidSeconds();
    return seconds <= 0 || at.getTime() <= key.getCreationTime().getTime() + seconds * 1000L;
  }

  private static byte[] issuerFingerprint(PGPSignature signature) {
    PGPSignatureSubpacketVector hashed = signature.getHashedSubPackets();
    if (hashed != null && hashed.getIssuerFingerprint() != null) {
      return hashed.getIssuerFingerprint().getFingerprint();
    }
    PGPSignatureSubpacketVector unhashed = signature.getUnhashedSubPackets();
    if (unhashed != null && unhashed.getIssuerFingerprint() != null) {
      return unhashed.getIssuerFingerprint().getFingerprint();
    }
    return null;
  }

  private static String issuer(PGPSignature signature) {
    byte[] fingerprint = issuerFingerprint(signature);
    if (fingerprint != null) {
      return "fingerprint " + hex(fingerprint);
    }
    return "key id " + String.format(Locale.ROOT, "%016X", signature.getKeyID());
  }

  private static PGPSignatureList readSignatures(String armor, String what) throws AptRefused {
    try (InputStream in =
        new ArmoredInputStream(
            new ByteArrayInputStream(armor.getBytes(StandardCharsets.ISO_8859_1)))) {
      BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
      Object object = factory.nextObject();
      if (object instanceof PGPSignatureList list && !list.isEmpty()) {
        return list;
      }
    } catch (IOException | RuntimeException e) {
      // falls through to the refusal
    }
    throw new AptRefused("the " + what + " signature block is not a readable OpenPGP signature");
  }

  /**
   * Splits the message: armour headers, the signed text (dash-unescaped; for the signature each
   * line without trailing spaces and tabs, joined with CRLF, no final line ending) and the
   * signature's armour.
   */
  private static Message parse(byte[] bytes, String what) throws AptRefused {
    // ISO-8859-1 maps every byte to one char, so the signed bytes are hashed exactly as sent
    String all = new String(bytes, StandardCharsets.ISO_8859_1);
    String[] lines = all.split("\n", -1);
    int i = 0;
    if (lines.length == 0 || !stripTrailing(lines[0]).equals(BEGIN_MESSAGE)) {
      throw new AptRefused(
          "the " + what + " is not signed (it is not an OpenPGP cleartext-signed message)");
    }
    i++;
    List<String> hashes = new ArrayList<>();
    while (true) {
      if (i >= lines.length) {
        throw malformed(what);
      }
      String line = stripTrailing(lines[i++]);
      if (line.isEmpty()) {
        break;
      }
      if (!line.startsWith("Hash: ")) {
        throw malformed(what);
      }
      for (String name : line.substring("Hash: ".length()).split(",")) {
        String hash = name.trim().toUpperCase(Locale.ROOT);
        if (!ACCEPTED_HASH_HEADERS.contains(hash)) {
          throw new AptRefused(
              "the "
                  + what
                  + " announces a hash algorithm that is not accepted (SHA256, SHA384 or SHA512 are)");
        }
        hashes.add(hash);
      }
    }
    StringBuilder canonical = new StringBuilder();
    StringBuilder text = new StringBuilder();
    boolean first = true;
    boolean signatureFound = false;
    while (i < lines.length) {
      String line = stripTrailing(lines[i++]);
      if (line.equals(BEGIN_SIGNATURE)) {
        signatureFound = true;
        break;
      }
      if (line.startsWith("- ")) {
        line = line.substring(2);
      } else if (line.startsWith("-")) {
        throw malformed(what);
      }
      if (!first) {
        canonical.append("\r\n");
      }
      first = false;
      canonical.append(line);
      text.append(line).append('\n');
    }
    if (!signatureFound) {
      throw new AptRefused("the " + what + " carries no signature block");
    }
    StringBuilder armor = new StringBuilder(BEGIN_SIGNATURE).append('\n');
    boolean ended = false;
    while (i < lines.length) {
      String line = stripTrailing(lines[i++]);
      armor.append(line).append('\n');
      if (line.equals(END_SIGNATURE)) {
        ended = true;
        break;
      }
    }
    if (!ended) {
      throw malformed(what);
    }
    while (i < lines.length) {
      if (!stripTrailing(lines[i++]).isEmpty()) {
        throw new AptRefused("the " + what + " has content after its signature block");
      }
    }
    byte[] signedBytes = canonical.toString().getBytes(StandardCharsets.ISO_8859_1);
    String signedText =
        new String(text.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    return new Message(hashes, signedBytes, signedText, armor.toString());
  }

  private static AptRefused malformed(String what) {
    return new AptRefused("the " + what + " is not a well-formed OpenPGP cleartext-signed message");
  }

  private static String stripTrailing(String line) {
    int end = line.length();
    while (end > 0) {
      char c = line.charAt(end - 1);
      if (c == ' ' || c == '\t' || c == '\r') {
        end--;
      } else {
        break;
      }
    }
    return line.substring(0, end);
  }

  private static String hashName(int algorithm) {
    return switch (algorithm) {
      case HashAlgorithmTags.MD5 -> "MD5";
      case HashAlgorithmTags.SHA1 -> "SHA1";
      case HashAlgorithmTags.RIPEMD160 -> "RIPEMD160";
      case HashAlgorithmTags.SHA224 -> "SHA224";
      case HashAlgorithmTags.SHA256 -> "SHA256";
      case HashAlgorithmTags.SHA384 -> "SHA384";
      case HashAlgorithmTags.SHA512 -> "SHA512";
      default -> "algorithm " + algorithm;
    };
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }
}
