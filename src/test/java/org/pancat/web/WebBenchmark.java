package org.pancat.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pancat.support.NodeProcess;

/**
 * How fast the pages answer at the demo scale: a packaged node on its embedded defaults with the
 * demo content (48 software), each page asked for sequentially after a warm-up, anonymous and
 * signed in (a development sign-in session). Not a test: run {@code bench/web.sh [requests]};
 * results go to bench/results/web.txt.
 */
public final class WebBenchmark {
  private static final String SCATTERING =
      "http%3A%2F%2Fpurl.org%2Fpan-science%2FPaNET%2FPaNET01124";
  private static final String SAXS = "http%3A%2F%2Fpurl.org%2Fpan-science%2FPaNET%2FPaNET01188";

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    Path home = Files.createTempDirectory("pancat-web-bench");
    try (NodeProcess node =
        new NodeProcess(
            home,
            Map.of("PANCAT_ACCESS_DEV_ISSUER_SIGN_IN", "true", "QUARKUS_HTTP_HOST", "127.0.0.1"))) {
      node.start();
      String admin = node.devToken("bench-admin", "esrf", List.of("admin"));
      node.as(admin)
          .body(
              Map.of(
                  "facility", "esrf",
                  "architectures", List.of("amd64"),
                  "runtimes", List.of("apptainer", "docker")))
          .put("/api/v1/compute-resources/bench-cluster")
          .then()
          .statusCode(201);
      String researcher = node.devToken("bench-researcher", "esrf", List.of());
      Map<String, String[]> pages = new LinkedHashMap<>();
      pages.put("search, empty", new String[] {"/", null});
      pages.put("search, q=SAXS", new String[] {"/?q=SAXS", null});
      pages.put("search, broader technique", new String[] {"/?technique=" + SCATTERING, null});
      pages.put("search, ambiguous q=EM", new String[] {"/?q=EM", null});
      pages.put("software page", new String[] {"/software/esrf/pyfai", null});
      pages.put(
          "software page, restricted, signed in",
          new String[] {"/software/pan-community/xds", researcher});
      pages.put(
          "launch preview",
          new String[] {"/software/esrf/pyfai/launch?resource=bench-cluster", researcher});
      pages.put("concept page", new String[] {"/concepts?iri=" + SAXS, null});
      pages.put("operator page (admin)", new String[] {"/operator", admin});
      pages.put(
          "API search, q=SAXS (for comparison)", new String[] {"/api/v1/software?q=SAXS", null});

      HttpClient client = HttpClient.newHttpClient();
      StringBuilder report = new StringBuilder();
      report.append(
          String.format(
              Locale.ROOT,
              "pancat pages at the demo scale (packaged node, embedded H2 and Lucene, 48 software)%n"
                  + "date: %s%njava: %s, cores: %d, requests per page: %d (sequential, after %d"
                  + " warm-up)%n%n%-40s %8s %8s %8s %8s %8s%n",
              Instant.now(),
              System.getProperty("java.version"),
              Runtime.getRuntime().availableProcessors(),
              requests,
              requests,
              "page",
              "bytes",
              "p50 ms",
              "p90 ms",
              "p99 ms",
              "max ms"));
      for (Map.Entry<String, String[]> page : pages.entrySet()) {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(node.baseUrl() + page.getValue()[0]));
        if (page.getValue()[1] != null) {
          request.header("Cookie", "__Host-pancat-dev-session=" + page.getValue()[1]);
        }
        HttpRequest built = request.build();
        int bytes = 0;
        for (int i = 0; i < requests; i++) {
          bytes = send(client, built).length();
        }
        double[] millis = new double[requests];
        for (int i = 0; i < requests; i++) {
          long start = System.nanoTime();
          send(client, built);
          millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        report.append(
            String.format(
                Locale.ROOT,
                "%-40s %8d %8.1f %8.1f %8.1f %8.1f%n",
                page.getKey(),
                bytes,
                millis[requests / 2],
                millis[(int) (requests * 0.9)],
                millis[(int) Math.min(requests - 1, Math.ceil(requests * 0.99))],
                millis[requests - 1]));
      }
      System.out.print(report);
      Path results = Path.of("bench", "results", "web.txt");
      Files.createDirectories(results.getParent());
      Files.writeString(results, report.toString());
    }
  }

  private static String send(HttpClient client, HttpRequest request) throws Exception {
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
    }
    return response.body();
  }
}
