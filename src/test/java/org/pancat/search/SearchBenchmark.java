package org.pancat.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.pancat.catalogue.SoftwareDocument;
import org.pancat.catalogue.SoftwareFacts;
import org.pancat.search.lucene.LuceneSearchIndex;
import org.pancat.vocab.VocabularySnapshot;

/**
 * Search latency of the embedded Lucene adapter at catalogue scale. Generates N software entries
 * whose tags follow the demo applications' technique distribution (70 %) mixed with uniform PaNET
 * techniques (30 %), indexes them the way the node does, then times representative queries. Not a
 * test: run {@code bench/search.sh [N]}; results go to bench/results/.
 */
public final class SearchBenchmark {
  private static final String PANET = "http://purl.org/pan-science/PaNET/PaNET";
  private static final String[] FACILITIES = {
    "esrf",
    "diamond",
    "desy",
    "psi",
    "soleil",
    "alba",
    "elettra",
    "hzb",
    "european-xfel",
    "lund",
    "pan-community"
  };
  private static final double[] FACILITY_WEIGHT = {14, 14, 12, 10, 8, 6, 6, 6, 6, 6, 12};
  private static final String[] LICENCES = {
    "MIT",
    "BSD-3-Clause",
    "GPL-3.0-or-later",
    "GPL-2.0-only",
    "Apache-2.0",
    "LGPL-3.0-or-later",
    "MPL-2.0 OR LGPL-3.0-only",
    "LicenseRef-XDS-DECTRIS-Terms",
    "NOASSERTION"
  };
  private static final String[] KINDS = {"oci-image", "sif", "deb", "conda", "pypi", "cvmfs"};
  private static final String[] WORDS = {
    "azimuthal",
    "integration",
    "tomography",
    "reconstruction",
    "diffraction",
    "powder",
    "crystallography",
    "scattering",
    "spectroscopy",
    "imaging",
    "ptychography",
    "phasing",
    "refinement",
    "viewer",
    "toolkit",
    "pipeline",
    "detector",
    "calibration",
    "beamline",
    "analysis",
    "fitting",
    "simulation",
    "neutron",
    "x-ray",
    "electron",
    "microscopy",
    "hdf5",
    "nexus",
    "workflow",
    "gpu",
    "reduction",
    "absorption",
    "fluorescence",
    "reflectometry"
  };

  /** Technique ids of the 48 demo applications, with repetition as in applications.csv. */
  public static final String[] DEMO_TECHNIQUES = {
    "01101", "01188", "01191", "01216", "01285", "01216", "01177", "01196", "01164", "01169",
    "01164", "01082", "01164", "01164", "01102", "01164", "01164", "01164", "01145", "01168",
    "01169", "01168", "01188", "01189", "01188", "01188", "01188", "01188", "01099", "01121",
    "01216", "01149", "01172", "01101", "01101", "01100", "01181", "01101", "01100", "01030",
    "01125", "01198", "01199", "01177", "01177", "01219", "01207", "01129", "01207", "01129",
    "01129", "01212", "01212", "01145", "01145", "01145", "01164", "01145", "01145", "01242",
    "01100", "01245", "01114", "01242", "01242", "01171", "01164", "01216", "01188", "01129",
    "01196", "01200"
  };

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    VocabularySnapshot vocab = loadVocabulary();
    List<String> allTechniques =
        new ArrayList<>(new TreeSet<>(vocab.schemes().get("techniques").concepts().keySet()));
    List<String> functions =
        new ArrayList<>(new TreeSet<>(vocab.schemes().get("functions").concepts().keySet()));
    List<String> formats =
        new ArrayList<>(new TreeSet<>(vocab.schemes().get("formats").concepts().keySet()));
    Path dir = Files.createTempDirectory("pancat-bench-index");
    LuceneSearchIndex index = new LuceneSearchIndex(config(dir));
    index.reset("bench");
    ObjectMapper mapper = new ObjectMapper();
    Random random = new Random(42);

    Instant start = Instant.now();
    List<IndexedSoftware> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(
          SearchIndexer.indexed(
              facts(i, random, allTechniques, functions, formats), "bench", vocab, mapper));
      if (batch.size() == 1000 || i == n - 1) {
        index.apply(batch, List.of(), new SearchIndex.Cursor("bench", i));
        batch.clear();
      }
    }
    index.refresh();
    index.commit();
    double indexSeconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;

    Random queries = new Random(7);
    List<String> broad =
        List.of("01184", "01022", "01125", "01129", "01145", "01242", "01012", "00200");
    Map<String, Supplier<SearchQuery>> workloads = new LinkedHashMap<>();
    workloads.put(
        "free text (1-2 words)",
        () ->
            new SearchQuery(
                pick(WORDS, queries) + (queries.nextBoolean() ? " " + pick(WORDS, queries) : ""),
                Map.of(),
                false,
                1,
                20,
                true));
    workloads.put(
        "technique with hierarchy expansion (broad concept)",
        () ->
            new SearchQuery(
                null,
                Map.of(
                    "technique_closure", List.of(PANET + broad.get(queries.nextInt(broad.size())))),
                false,
                1,
                20,
                true));
    workloads.put(
        "faceted (technique + facility + kind + arch)",
        () ->
            new SearchQuery(
                queries.nextInt(3) == 0 ? pick(WORDS, queries) : null,
                Map.of(
                    "technique_closure", List.of(PANET + broad.get(queries.nextInt(broad.size()))),
                    "facility", List.of(pick(FACILITIES, queries)),
                    "kind", List.of(pick(KINDS, queries)),
                    "arch", List.of(queries.nextInt(4) == 0 ? "arm64" : "amd64")),
                false,
                1,
                20,
                true));
    workloads.put(
        "everything, page 5 (match all + all facets)",
        () -> new SearchQuery(null, Map.of(), false, 5, 20, true));

    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "pancat search benchmark, embedded Lucene adapter%n"
                + "date: %s%njava: %s, cores: %d%nsoftware: %,d, indexed in %.1f s (%.0f/s)%n%n",
            Instant.now(),
            System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors(),
            n,
            indexSeconds,
            n / indexSeconds));
    report.append(
        String.format(
            Locale.ROOT,
            "%-52s %8s %8s %8s %8s %10s%n",
            "query",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "max ms",
            "avg hits"));
    for (Map.Entry<String, Supplier<SearchQuery>> w : workloads.entrySet()) {
      for (int i = 0; i < 500; i++) {
        index.search(w.getValue().get());
      }
      int runs = 3000;
      long[] nanos = new long[runs];
      long hits = 0;
      for (int i = 0; i < runs; i++) {
        SearchQuery q = w.getValue().get();
        long t0 = System.nanoTime();
        SearchIndex.Hits h = index.search(q);
        nanos[i] = System.nanoTime() - t0;
        hits += h.total();
      }
      Arrays.sort(nanos);
      report.append(
          String.format(
              Locale.ROOT,
              "%-52s %8.2f %8.2f %8.2f %8.2f %10.0f%n",
              w.getKey(),
              ms(nanos, 0.50),
              ms(nanos, 0.90),
              ms(nanos, 0.99),
              nanos[runs - 1] / 1e6,
              hits / (double) runs));
    }
    report.append("\ntarget: p99 < 50 ms at 100k entries on this 2-core machine\n");
    System.out.print(report);
    Path results = Path.of("bench/results");
    Files.createDirectories(results);
    Files.writeString(results.resolve("search-" + n + ".txt"), report.toString());
    index.commit();
  }

  private static SoftwareFacts facts(
      int i, Random r, List<String> techniques, List<String> functions, List<String> formats) {
    List<String> tags = new ArrayList<>();
    int count = 1 + r.nextInt(3);
    for (int t = 0; t < count; t++) {
      tags.add(
          r.nextDouble() < 0.7
              ? PANET + DEMO_TECHNIQUES[r.nextInt(DEMO_TECHNIQUES.length)]
              : techniques.get(r.nextInt(techniques.size())));
    }
    List<String> fns = new ArrayList<>();
    for (int t = r.nextInt(3); t > 0; t--) {
      fns.add(functions.get(r.nextInt(functions.size())));
    }
    List<String> fmts = new ArrayList<>();
    for (int t = r.nextInt(3); t > 0; t--) {
      fmts.add(formats.get(r.nextInt(formats.size())));
    }
    String name = capitalise(pick(WORDS, r)) + pick(WORDS, r) + "-" + i;
    String description =
        "Software for "
            + pick(WORDS, r)
            + " "
            + pick(WORDS, r)
            + " and "
            + pick(WORDS, r)
            + " of "
            + pick(WORDS, r)
            + " data at photon and neutron facilities";
    Set<String> kinds = new TreeSet<>();
    for (int k = 1 + r.nextInt(2); k > 0; k--) {
      kinds.add(pick(KINDS, r));
    }
    Set<String> gpus =
        r.nextDouble() < 0.10 ? Set.of("nvidia") : r.nextDouble() < 0.03 ? Set.of("amd") : Set.of();
    Set<String> arch = r.nextDouble() < 0.25 ? Set.of("amd64", "arm64") : Set.of("amd64");
    String facility = weighted(r);
    return new SoftwareFacts(
        facility + "/" + name.toLowerCase(Locale.ROOT),
        facility,
        name.toLowerCase(Locale.ROOT),
        null,
        new SoftwareDocument(
            name,
            description,
            null,
            pick(LICENCES, r),
            tags.stream().distinct().toList(),
            fns.stream().distinct().toList(),
            fmts.stream().distinct().toList(),
            List.of(),
            List.of(pick(WORDS, r), pick(WORDS, r)),
            List.of(),
            Map.of()),
        false,
        "open",
        Set.of(r.nextDouble() < 0.1 ? "restricted" : "open"),
        Set.of(r.nextDouble() < 0.3 ? "trusted" : "untrusted"),
        Set.of(),
        kinds,
        arch,
        gpus,
        Set.of("apptainer"),
        List.of("1." + r.nextInt(10)));
  }

  private static String weighted(Random r) {
    double total = Arrays.stream(FACILITY_WEIGHT).sum();
    double x = r.nextDouble() * total;
    for (int i = 0; i < FACILITIES.length; i++) {
      x -= FACILITY_WEIGHT[i];
      if (x <= 0) {
        return FACILITIES[i];
      }
    }
    return FACILITIES[FACILITIES.length - 1];
  }

  private static VocabularySnapshot loadVocabulary() throws IOException {
    Map<String, String> turtle = new LinkedHashMap<>();
    for (String id : List.of("techniques", "functions", "formats", "compute", "artifact-kinds")) {
      turtle.put(id, Files.readString(Path.of("vocab", id + ".ttl")));
    }
    return VocabularySnapshot.fromTurtle(turtle);
  }

  private static SearchConfig config(Path dir) {
    return () ->
        new SearchConfig.Lucene() {
          @Override
          public String directory() {
            return dir.toString();
          }

          @Override
          public Duration commitInterval() {
            return Duration.ofHours(1);
          }
        };
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
  }

  private static String pick(String[] values, Random r) {
    return values[r.nextInt(values.length)];
  }

  private static String capitalise(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
