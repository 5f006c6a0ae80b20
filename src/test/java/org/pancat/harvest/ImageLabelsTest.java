package org.pancat.harvest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pancat.access.SharingConditions;
import org.pancat.catalogue.ArtifactDocument;

/** Image labels and annotations to software, release and artifact. */
class ImageLabelsTest {
  private static final ArtifactDocument.Sharing OPEN = new ArtifactDocument.Sharing("open", null);

  @Test
  void ociLabelsDescribeTheSoftware() {
    ImageLabels.Read read =
        ImageLabels.read(
            "esrf/pyfai",
            "2024.2-cuda",
            Map.of(
                "org.opencontainers.image.title", "pyFAI",
                "org.opencontainers.image.version", "2024.2",
                "org.opencontainers.image.licenses", "MIT",
                "org.opencontainers.image.url", "https://pyfai.readthedocs.io",
                "org.opencontainers.image.created", "2024-03-01T08:00:00+01:00",
                "org.opencontainers.image.revision", "abc123",
                "org.pancat.techniques", "SAXS, WAXS",
                "org.pancat.gpu-vendor", "nvidia",
                "pancat.launch.ports", "8888",
                "com.example.unrelated", "dropped"),
            OPEN);
    assertEquals("pyfai", read.slug());
    assertEquals("2024.2", read.version());
    assertEquals("pyFAI", read.software().name());
    assertEquals("MIT", read.software().licence());
    assertEquals(List.of("SAXS", "WAXS"), read.software().techniques());
    assertEquals("https://pyfai.readthedocs.io", read.software().homepage());
    assertEquals(LocalDate.of(2024, 3, 1), read.release().releaseDate());
    assertEquals("nvidia", read.requirements().gpuVendor());
    assertEquals(
        Map.of(
            "org.opencontainers.image.revision", "abc123",
            "org.opencontainers.image.created", "2024-03-01T08:00:00+01:00",
            "org.opencontainers.image.url", "https://pyfai.readthedocs.io",
            "pancat.launch.ports", "8888"),
        read.artifactLabels());
  }

  @Test
  void withoutLabelsTheRepositoryAndTagSpeak() {
    ImageLabels.Read read = ImageLabels.read("pan/tools/xrd-viewer", "1.0", Map.of(), OPEN);
    assertEquals("xrd-viewer", read.slug());
    assertEquals("1.0", read.version());
    assertEquals("NOASSERTION", read.software().licence());
    assertNull(read.software().homepage());
    assertNull(read.requirements());
  }

  @Test
  void hostileLabelsAreRefusedWithTheirName() {
    HarvestRefused version =
        assertThrows(
            HarvestRefused.class,
            () ->
                ImageLabels.read(
                    "a/b", "1", Map.of("org.opencontainers.image.version", "1 && rm"), OPEN));
    assertTrue(version.getMessage().contains("org.opencontainers.image.version"));
    assertThrows(
        HarvestRefused.class,
        () -> ImageLabels.read("a/b", "1", Map.of("org.pancat.software", "../x"), OPEN));
    assertThrows(
        HarvestRefused.class,
        () -> ImageLabels.read("a/b", "1", Map.of("org.pancat.sharing", "public"), OPEN));
    // a homepage that is not an http(s) URL is left out, not passed on
    assertNull(
        ImageLabels.read(
                "a/b", "1", Map.of("org.opencontainers.image.url", "javascript:alert(1)"), OPEN)
            .software()
            .homepage());
  }

  @Test
  void aLabelMakesSharingStricterNeverLooser() {
    ArtifactDocument.Sharing restricted =
        new ArtifactDocument.Sharing(
            "restricted", new SharingConditions(null, List.of("staff"), null, null, null));
    assertEquals(restricted, ImageLabels.sharing("open", restricted));
    assertEquals("non-shareable", ImageLabels.sharing("non-shareable", restricted).sharingClass());
    assertEquals(restricted, ImageLabels.sharing("restricted", restricted));
    assertEquals(restricted, ImageLabels.sharing(null, restricted));
    HarvestRefused nothingToRestrictBy =
        assertThrows(HarvestRefused.class, () -> ImageLabels.sharing("restricted", OPEN));
    assertTrue(nothingToRestrictBy.getMessage().contains("no sharing conditions"));
  }
}
