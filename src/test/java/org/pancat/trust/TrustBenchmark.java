package org.pancat.trust;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pancat.support.Signing;

/**
 * How many signatures per second the node verifies, offline, with the real fixtures: a keyless
 * bundle with a message signature (certificate chain, SCT, signature, Rekor SET, inclusion proof,
 * checkpoint), a keyless DSSE provenance bundle, and a P-256 key-pair signature. Not a test: run
 * {@code bench/trust.sh [seconds]}; results go to bench/results/trust.txt.
 */
public final class TrustBenchmark {
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    ObjectMapper mapper = new ObjectMapper();
    SignatureVerifier verifier =
        new SignatureVerifier(SignatureVerifier.trustedRoot(null), mapper, Clock.systemUTC());
    ObjectNode bundle = Signing.bundle("0.3");
    ObjectNode provenance = Signing.provenanceBundle();
    Signing signing = new Signing();
    String keyDigest = "sha256:" + "3c".repeat(32);
    String pem = signing.publicKeyPem();
    String signature = signing.signDigest(keyDigest);

    Map<String, Runnable> kinds = new LinkedHashMap<>();
    kinds.put(
        "keyless bundle, message signature (v0.3)",
        () -> verifier.verifyBundle(bundle, Signing.BUNDLE_DIGEST));
    kinds.put(
        "keyless bundle, DSSE SLSA provenance",
        () -> verifier.verifyBundle(provenance, Signing.BUNDLE_DIGEST));
    kinds.put(
        "key pair, ECDSA P-256 over the digest",
        () -> verifier.verifyKeySignature(pem, signature, null, keyDigest));

    int cores = Runtime.getRuntime().availableProcessors();
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "pancat signature verification throughput (offline, sigstore-java 2.0.0)%n"
                + "date: %s%njava: %s, cores: %d, %.0f s per measurement after a warm-up%n%n"
                + "%-42s %14s %14s%n",
            Instant.now(),
            System.getProperty("java.version"),
            cores,
            seconds,
            "signature",
            "1 thread /s",
            cores + " threads /s"));
    for (Map.Entry<String, Runnable> kind : kinds.entrySet()) {
      run(kind.getValue(), 1, Math.min(3, seconds));
      double single = run(kind.getValue(), 1, seconds);
      double all = run(kind.getValue(), cores, seconds);
      report.append(
          String.format(Locale.ROOT, "%-42s %14.0f %14.0f%n", kind.getKey(), single, all));
    }
    System.out.print(report);
    Path out = Path.of("bench/results/trust.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
  }

  /** Verifications per second with {@code threads} threads for {@code seconds}. */
  private static double run(Runnable verification, int threads, double seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<Long>> counts = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      counts.add(
          pool.submit(
              () -> {
                long n = 0;
                while (!stop.get()) {
                  verification.run();
                  n++;
                }
                return n;
              }));
    }
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    long total = 0;
    for (Future<Long> c : counts) {
      total += c.get();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return total / elapsed;
  }
}
