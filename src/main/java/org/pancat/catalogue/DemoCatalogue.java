package org.pancat.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pancat.access.LicenceDocument;
import org.pancat.access.LicenceService;
import org.pancat.access.Principal;
import org.pancat.access.SharingConditions;

/**
 * Loads the real applications and facilities shipped under {@code src/main/resources/demo/} through
 * the ordinary registration service, so the demo content has change-log rows like any other write.
 */
@ApplicationScoped
public class DemoCatalogue {
  static final String COMMUNITY_FACILITY = "pan-community";
  private static final Logger LOG = Logger.getLogger(DemoCatalogue.class);
  private static final String PANET = "http://purl.org/pan-science/PaNET/";
  private static final Principal LOADER =
      new Principal(
          "demo-loader",
          "pancat",
          Optional.empty(),
          Set.of(),
          Set.of(Principal.ROLE_ADMIN),
          Optional.empty());
  private static final Pattern DEBIAN_EVIDENCE =
      Pattern.compile(
          "Debian 12 bookworm main \\([^)]*\\) (?:([a-z0-9.+-]+)/)?([a-z0-9.+-]+) ([0-9][A-Za-z0-9.+~:-]*)");
  private static final Pattern PYPI_EVIDENCE =
      Pattern.compile("PyPI \\(name listed with matching summary\\) ([A-Za-z0-9._-]+)");

  private final CatalogueService service;
  private final LicenceService licences;
  private final CatalogueQueries queries;
  private final CatalogueConfig config;
  private final ObjectMapper mapper;
  private final String dbKind;

  DemoCatalogue(
      CatalogueService service,
      LicenceService licences,
      CatalogueQueries queries,
      CatalogueConfig config,
      ObjectMapper mapper,
      @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
    this.service = service;
    this.licences = licences;
    this.queries = queries;
    this.config = config;
    this.mapper = mapper;
    this.dbKind = dbKind;
  }

  void onStart(@Observes StartupEvent event) {
    boolean load =
        switch (config.demo().load()) {
          case always -> true;
          case never -> false;
          case auto -> dbKind.equals("h2") && queries.isEmpty();
        };
    if (load) {
      int software = load();
      LOG.infof("demo content loaded: %d software entries", software);
    }
  }

  /** Registers the demo facilities and applications; returns how many applications it read. */
  public int load() {
    loadFacilities();
    Map<String, String> origins = new HashMap<>();
    for (Map<String, String> row : csv("demo/application-origins.csv")) {
      origins.put(row.get("name"), row.get("facility"));
    }
    List<Map<String, String>> applications = csv("demo/applications.csv");
    for (Map<String, String> app : applications) {
      loadApplication(app, origins.getOrDefault(app.get("name"), COMMUNITY_FACILITY));
    }
    return applications.size();
  }

  private void loadFacilities() {
    Map<String, Map<String, String>> extra = new HashMap<>();
    for (Map<String, String> row : csv("demo/facilities.csv")) {
      extra.put(row.get("pk"), row);
    }
    for (JsonNode fixture : json("demo/calipsoplus_facilities.json")) {
      Map<String, String> row = extra.get(fixture.path("pk").asText());
      if (row == null) {
        continue;
      }
      JsonNode fields = fixture.path("fields");
      service.putFacility(
          row.get("id"),
          new FacilityDocument(
              fields.path("name").asText(),
              fields.path("description").asText(),
              row.get("homepage"),
              row.get("country"),
              null,
              List.of(),
              List.of()),
          LOADER);
    }
    service.putFacility(
        COMMUNITY_FACILITY,
        new FacilityDocument(
            "PaN community (demo)",
            "Demo origin for community software that is not developed at one of the listed"
                + " facilities.",
            null,
            null,
            null,
            List.of(),
            List.of()),
        LOADER);
  }

  private void loadApplication(Map<String, String> app, String facility) {
    String slug = slug(app.get("name"));
    List<String> techniques = new ArrayList<>();
    List<String> keywords = new ArrayList<>();
    for (String technique : app.get("techniques_panet").split("\\|")) {
      String[] idAndLabel = technique.strip().split(" ", 2);
      if (idAndLabel[0].startsWith("PaNET")) {
        // PaNET2xxxxxx specifier classes are not technique tags: register those by label.
        techniques.add(
            idAndLabel[0].startsWith("PaNET0") || idAndLabel.length < 2
                ? PANET + idAndLabel[0]
                : idAndLabel[1].strip());
        if (idAndLabel.length > 1) {
          keywords.add(idAndLabel[1].strip());
        }
      }
    }
    String evidence = app.getOrDefault("distribution_evidence", "");
    Matcher debian = DEBIAN_EVIDENCE.matcher(evidence);
    Optional<String[]> debianPackage =
        debian.find()
            ? Optional.of(
                new String[] {
                  debian.group(1) == null ? debian.group(2) : debian.group(1),
                  debian.group(2),
                  debian.group(3)
                })
            : Optional.empty();
    Map<String, String> sameAs = new LinkedHashMap<>();
    debianPackage.ifPresent(p -> sameAs.put("debian", p[0]));
    Matcher pypi = PYPI_EVIDENCE.matcher(evidence);
    if (pypi.find()) {
      sameAs.put("pypi", pypi.group(1));
    }
    String homepage = app.get("homepage");
    service.putSoftware(
        facility,
        slug,
        new SoftwareDocument(
            app.get("name"),
            app.get("techniques_plain"),
            homepage == null || homepage.isBlank() ? null : homepage,
            app.get("licence_spdx"),
            techniques,
            List.of(),
            List.of(),
            List.of(),
            keywords,
            List.of(),
            sameAs),
        LOADER);
    debianPackage.ifPresent(p -> loadDebianRelease(facility, slug, p[1], p[2]));
    if ("restricted".equals(app.get("shareability"))) {
      loadRestrictedDistribution(app, facility, slug);
    }
  }

  /**
   * Applications the data lists as restricted get their licence terms as a licence record and a
   * vendor distribution that only callers who accepted it may obtain. The data records no version
   * or download reference for them, so the release is "current" and the reference the vendor's
   * page.
   */
  private void loadRestrictedDistribution(Map<String, String> app, String facility, String slug) {
    String spdx = app.get("licence_spdx");
    String licenceId = spdx.startsWith("LicenseRef-") ? spdx : "LicenseRef-" + slug + "-terms";
    String homepage = app.get("homepage");
    boolean hasHomepage = homepage != null && !homepage.isBlank();
    licences.put(
        licenceId,
        new LicenceDocument(
            app.get("name") + " licence terms",
            "1",
            hasHomepage ? homepage : null,
            app.get("shareability_note") + " (evidence: " + app.get("licence_evidence") + ")"),
        LOADER);
    service.putRelease(
        facility,
        slug,
        "current",
        new ReleaseDocument(null, "Vendor distribution; the demo data records no version.", null),
        LOADER);
    service.addArtifact(
        facility,
        slug,
        "current",
        new ArtifactDocument(
            "recipe",
            "vendor:" + slug,
            null,
            List.of(),
            null,
            List.of(),
            Map.of("distribution", app.getOrDefault("distribution_verified", "")),
            null,
            new ArtifactDocument.Sharing(
                "restricted",
                new SharingConditions(
                    new SharingConditions.LicenceCondition(licenceId, null),
                    null,
                    null,
                    null,
                    null))),
        LOADER);
  }

  private void loadDebianRelease(String facility, String slug, String binary, String version) {
    service.putRelease(
        facility,
        slug,
        version,
        new ReleaseDocument(null, "Debian 12 (bookworm) package " + binary, null),
        LOADER);
    service.addArtifact(
        facility,
        slug,
        version,
        new ArtifactDocument(
            "deb",
            binary,
            null,
            List.of(),
            null,
            List.of(),
            Map.of("debian.suite", "bookworm", "debian.component", "main"),
            null,
            null),
        LOADER);
  }

  /** {@code "FOX (ObjCryst++)"} becomes {@code "fox-objcryst"}. */
  static String slug(String name) {
    String slug =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    return slug.length() > 100 ? slug.substring(0, 100) : slug;
  }

  private List<Map<String, String>> csv(String resource) {
    CsvMapper csv = new CsvMapper();
    try (InputStream in = resource(resource);
        MappingIterator<Map<String, String>> rows =
            csv.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(in)) {
      return rows.readAll();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<JsonNode> json(String resource) {
    try (InputStream in = resource(resource)) {
      return Arrays.asList(mapper.readValue(in, JsonNode[].class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = DemoCatalogue.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing demo resource " + name);
    }
    return in;
  }
}
