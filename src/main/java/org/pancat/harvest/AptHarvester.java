package org.pancat.harvest;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.pancat.catalogue.ArtifactDocument;
import org.pancat.catalogue.ArtifactKind;
import org.pancat.catalogue.CatalogueQueries;
import org.pancat.catalogue.ReleaseDocument;
import org.pancat.catalogue.SoftwareDocument;
import org.pancat.catalogue.Views;
import org.pancat.harvest.apt.AptRefused;
import org.pancat.harvest.apt.AptRepositoryReader;
import org.pancat.harvest.apt.AptSource;
import org.pancat.harvest.apt.DebPackage;
import org.pancat.harvest.apt.VerifiedRelease;
import org.pancat.kernel.CanonicalJson;
import org.pancat.kernel.Ids;

/**
 * Harvests a signed APT repository: its {@code InRelease} verified against the archive key, each
 * {@code Packages} index checked against it, then each package registered as a {@code deb} artifact
 * of the facility's software it belongs to (by a {@code debian} same-as link naming the package or
 * its source, or a slug equal to either). Everything is verified before anything is written: a bad
 * signature, an expired {@code Valid-Until} or a hash mismatch stops the run with nothing applied.
 * An unchanged repository costs one request (its {@code InRelease}).
 */
@ApplicationScoped
class AptHarvester implements Harvester {
  static final String KEY_PREFIX = "deb ";
  static final String PACKAGE_LABEL = "org.pancat.deb.package";
  static final String SOURCE_LABEL = "org.pancat.deb.source";
  static final String SUITE_LABEL = "org.pancat.deb.suite";
  private static final Pattern SLUG = Pattern.compile(Ids.SLUG);

  private final CatalogueQueries catalogue;
  private final AptRepositoryReader reader;
  private final HarvestConfig config;

  AptHarvester(HarvestConfig config, CatalogueQueries catalogue) {
    this.config = config;
    this.catalogue = catalogue;
    this.reader =
        new AptRepositoryReader(
            HttpClient.newBuilder()
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build(),
            config.requestTimeout(),
            config.maxResponseBytes(),
            Clock.systemUTC());
  }

  @Override
  public String kind() {
    return "apt";
  }

  @Override
  public void harvest(RunContext run) {
    HarvestSourceDocument.Apt apt = run.source.apt();
    SourceHosts.require(config, apt.url());
    AptSource source =
        new AptSource(
            URI.create(apt.url()),
            apt.suite(),
            apt.components(),
            apt.architectures(),
            apt.archiveKey());
    VerifiedRelease release;
    List<DebPackage> packages;
    Map<String, String> slugs = slugsByPackage(run.source.facility());
    try {
      release = reader.verifyRelease(source);
      run.report.requested(1);
      long date = date(release);
      String[] previous = run.previousState == null ? new String[0] : run.previousState.split(" ");
      if (previous.length == 4 && Long.parseLong(previous[2]) > date) {
        // a signature does not expire by itself: an older InRelease is a replay or a rollback
        throw new HarvestRefused(
            "the repository's InRelease is older than the one harvested before: a replayed or rolled-back repository is not read");
      }
      // what the items are matched against is part of what was read: new software is matched
      run.readState = readState(release, date, slugs);
      if (run.readState.equals(run.previousState)) {
        run.allUnchanged(KEY_PREFIX);
        return;
      }
      packages = reader.packages(source, release);
      run.report.requested(apt.components().size() * apt.architectures().size());
    } catch (AptRefused refused) {
      throw new HarvestRefused(refused.reason());
    }
    Map<String, DebPackage> unique = new LinkedHashMap<>();
    for (DebPackage p : packages) {
      unique.putIfAbsent(KEY_PREFIX + p.name() + " " + p.architecture(), p);
    }
    run.report.expect(unique.size());
    for (Map.Entry<String, DebPackage> entry : unique.entrySet()) {
      if (run.stopping()) {
        return;
      }
      String key = entry.getKey();
      DebPackage p = entry.getValue();
      String digest = "sha256:" + p.sha256().toLowerCase(Locale.ROOT);
      if (run.unchanged(key, digest)) {
        run.recordUnchanged(key);
        continue;
      }
      String slug = slugs.getOrDefault(p.name(), slugs.get(p.source()));
      boolean creates = false;
      if (slug == null) {
        String candidate = p.source().toLowerCase(Locale.ROOT);
        if (!apt.registerUnmatched() || !SLUG.matcher(candidate).matches()) {
          run.skip(
              key,
              "matches no software of "
                  + run.source.facility()
                  + " (by a debian same-as link or its slug)");
          continue;
        }
        slug = candidate;
        creates = true;
      }
      String known = run.knownDigest(key);
      run.write(
          new HarvestedItem(
              key,
              digest,
              slug,
              creates ? software(p) : null,
              creates,
              p.version(),
              new ReleaseDocument(null, null, null),
              artifact(apt, p, digest, run.source),
              List.of(),
              List.of(),
              List.of(),
              List.of(),
              known == null || known.equals(digest) ? null : known));
    }
    run.goneUnder(KEY_PREFIX, unique.keySet());
    // the software this run registered is matched from now on: the next run compares with that
    run.readState = readState(release, date(release), slugsByPackage(run.source.facility()));
  }

  /** What an unchanged repository is: the same InRelease, matched against the same software. */
  private static String readState(VerifiedRelease release, long date, Map<String, String> slugs) {
    return "InRelease "
        + release.sha256()
        + " "
        + date
        + " "
        + CanonicalJson.sha256(new TreeMap<>(slugs).toString()).substring(0, 16);
  }

  private static long date(VerifiedRelease release) {
    return release.date() == null ? 0 : release.date().getEpochSecond();
  }

  /** Package and source names to the slug of the facility's software they belong to. */
  private Map<String, String> slugsByPackage(String facility) {
    Map<String, String> slugs = new HashMap<>();
    Set<String> linked = new HashSet<>();
    for (Views.SoftwareView s : catalogue.softwareOf(facility)) {
      slugs.putIfAbsent(s.slug(), s.slug());
      String debian = s.software().sameAs().get("debian");
      if (debian != null) {
        // a same-as link wins over a slug that happens to be equal
        if (linked.add(debian)) {
          slugs.put(debian, s.slug());
        }
      }
    }
    return slugs;
  }

  private static SoftwareDocument software(DebPackage p) {
    String description =
        p.longDescription() == null || p.longDescription().isBlank()
            ? p.description()
            : p.description() + "\n\n" + p.longDescription();
    return new SoftwareDocument(
        p.source(),
        description,
        p.homepage() != null && p.homepage().matches("https?://\\S{1,490}") ? p.homepage() : null,
        "NOASSERTION",
        null,
        null,
        null,
        null,
        null,
        null,
        Map.of("debian", p.source()));
  }

  private static ArtifactDocument artifact(
      HarvestSourceDocument.Apt apt, DebPackage p, String digest, HarvestSourceDocument source) {
    String base = apt.url().endsWith("/") ? apt.url() : apt.url() + "/";
    Map<String, String> labels = new TreeMap<>();
    labels.put(PACKAGE_LABEL, p.name());
    labels.put(SOURCE_LABEL, p.source());
    labels.put(SUITE_LABEL, apt.suite());
    List<ArtifactDocument.Platform> platforms =
        "all".equals(p.architecture())
            ? List.of()
            : List.of(new ArtifactDocument.Platform("linux", p.architecture(), null));
    return new ArtifactDocument(
        ArtifactKind.DEB.value(),
        base + p.filename(),
        digest,
        platforms,
        null,
        null,
        labels,
        null,
        source.sharing());
  }
}
