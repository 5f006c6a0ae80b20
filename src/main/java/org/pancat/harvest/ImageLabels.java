package org.pancat.harvest;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.pancat.catalogue.ArtifactDocument;
import org.pancat.catalogue.ReleaseDocument;
import org.pancat.catalogue.SoftwareDocument;
import org.pancat.kernel.Ids;

/**
 * Reads an image's labels and annotations ({@code org.opencontainers.image.*}, and pancat's own
 * {@code org.pancat.*}) into the software, release and artifact they describe. What the labels do
 * not say falls back to the repository and tag: the software's slug is the repository's last
 * segment, its version the tag, its licence {@code NOASSERTION}.
 */
final class ImageLabels {
  static final String OCI = "org.opencontainers.image.";
  static final String TITLE = OCI + "title";
  static final String DESCRIPTION = OCI + "description";
  static final String VERSION = OCI + "version";
  static final String LICENSES = OCI + "licenses";
  static final String SOURCE = OCI + "source";
  static final String REVISION = OCI + "revision";
  static final String VENDOR = OCI + "vendor";
  static final String URL = OCI + "url";
  static final String DOCUMENTATION = OCI + "documentation";
  static final String CREATED = OCI + "created";

  static final String PANCAT = "org.pancat.";
  static final String SOFTWARE = PANCAT + "software";
  static final String TECHNIQUES = PANCAT + "techniques";
  static final String FUNCTIONS = PANCAT + "functions";
  static final String INPUT_FORMATS = PANCAT + "input-formats";
  static final String OUTPUT_FORMATS = PANCAT + "output-formats";
  static final String KEYWORDS = PANCAT + "keywords";
  static final String SHARING = PANCAT + "sharing";
  static final String GPU_VENDOR = PANCAT + "gpu-vendor";
  static final String CUDA_MIN = PANCAT + "cuda-min";

  /** Labels copied onto the artifact: what it was built from, and how portals launch it. */
  private static final List<String> KEPT =
      List.of(SOURCE, REVISION, VENDOR, DOCUMENTATION, CREATED, URL);

  private static final Pattern SLUG = Pattern.compile(Ids.SLUG);
  private static final Pattern VERSION_PATTERN = Pattern.compile(Ids.VERSION);
  private static final Pattern HTTP_URL = Pattern.compile("https?://[^\\s]{1,490}");
  private static final List<String> SHARING_ORDER = List.of("open", "restricted", "non-shareable");

  private ImageLabels() {}

  /** What the labels say, ready for the catalogue (which validates it again). */
  record Read(
      String slug,
      SoftwareDocument software,
      String version,
      ReleaseDocument release,
      Map<String, String> artifactLabels,
      ArtifactDocument.Sharing sharing,
      ArtifactDocument.Requirements requirements) {}

  /**
   * @param labels the image config's labels, then the manifest's or index's annotations (which win)
   * @param sourceSharing the source's sharing; a label may make it stricter, never looser
   * @throws HarvestRefused when a label cannot be used (the reason names it)
   */
  static Read read(
      String repository,
      String tag,
      Map<String, String> labels,
      ArtifactDocument.Sharing sourceSharing) {
    String slug =
        labels.getOrDefault(SOFTWARE, repository.substring(repository.lastIndexOf('/') + 1));
    if (!SLUG.matcher(slug).matches()) {
      throw new HarvestRefused(
          "label " + SOFTWARE + " (or the repository name) is not a software slug");
    }
    String version = labels.getOrDefault(VERSION, tag).strip();
    if (!VERSION_PATTERN.matcher(version).matches()) {
      throw new HarvestRefused(
          "label " + VERSION + " (or the tag) is not a version pancat accepts");
    }
    String homepage = firstUrl(labels.get(URL), labels.get(SOURCE));
    SoftwareDocument software =
        new SoftwareDocument(
            labels.getOrDefault(TITLE, slug).strip(),
            labels.get(DESCRIPTION),
            homepage,
            labels.getOrDefault(LICENSES, "NOASSERTION").strip(),
            list(labels.get(TECHNIQUES)),
            list(labels.get(FUNCTIONS)),
            list(labels.get(INPUT_FORMATS)),
            list(labels.get(OUTPUT_FORMATS)),
            list(labels.get(KEYWORDS)),
            null,
            null);
    ReleaseDocument release =
        new ReleaseDocument(
            date(labels.get(CREATED)), null, firstUrl(labels.get(DOCUMENTATION), homepage));
    Map<String, String> kept = new TreeMap<>();
    for (String key : KEPT) {
      String value = labels.get(key);
      if (value != null && !value.isBlank() && value.length() <= 1000) {
        kept.put(key, value);
      }
    }
    labels.forEach(
        (key, value) -> {
          if (key.startsWith("pancat.launch.")) {
            kept.put(key, value);
          }
        });
    String gpu = labels.get(GPU_VENDOR);
    String cuda = labels.get(CUDA_MIN);
    ArtifactDocument.Requirements requirements =
        gpu == null && cuda == null
            ? null
            : new ArtifactDocument.Requirements(gpu, cuda, null, null, null);
    return new Read(
        slug,
        software,
        version,
        release,
        kept,
        sharing(labels.get(SHARING), sourceSharing),
        requirements);
  }

  static ArtifactDocument.Sharing sharing(String label, ArtifactDocument.Sharing source) {
    ArtifactDocument.Sharing base =
        source == null ? new ArtifactDocument.Sharing("open", null) : source;
    if (label == null) {
      return base;
    }
    int asked = SHARING_ORDER.indexOf(label.strip());
    if (asked < 0) {
      throw new HarvestRefused("label " + SHARING + " must be open, restricted or non-shareable");
    }
    if (asked <= SHARING_ORDER.indexOf(base.sharingClass())) {
      return base;
    }
    if ("restricted".equals(SHARING_ORDER.get(asked)) && base.conditions() == null) {
      // restricted without conditions would be open to everyone: the conditions are the source's
      throw new HarvestRefused(
          "label "
              + SHARING
              + " asks for restricted, and the source gives no sharing conditions to restrict it by");
    }
    return new ArtifactDocument.Sharing(
        SHARING_ORDER.get(asked),
        "restricted".equals(SHARING_ORDER.get(asked)) ? base.conditions() : null);
  }

  private static List<String> list(String value) {
    return value == null
        ? List.of()
        : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static String firstUrl(String... candidates) {
    for (String c : candidates) {
      if (c != null && HTTP_URL.matcher(c.strip()).matches()) {
        return c.strip();
      }
    }
    return null;
  }

  private static LocalDate date(String created) {
    if (created == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(created.strip()).toLocalDate();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
