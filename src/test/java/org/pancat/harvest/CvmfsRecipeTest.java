package org.pancat.harvest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CVMFS unpacked wish list, read from the public recipe and from hostile ones. */
class CvmfsRecipeTest {
  @Test
  void readsThePublicUnpackedRecipe() throws IOException {
    CvmfsRecipe.Read read =
        CvmfsRecipe.read(
            Files.readString(Path.of("src/test/resources/harvest/cvmfs_unpacked_recipe.yaml")));
    assertNull(read.error());
    assertEquals("unpacked.cern.ch", read.cvmfsRepository());
    // 47 entries, one of them listed twice
    assertEquals(46, read.inputs().size());
    assertEquals(List.of(), read.ignored());
    CvmfsRecipe.Input centos = read.inputs().get(0);
    assertEquals("registry.hub.docker.com", centos.registry());
    assertEquals("library/centos", centos.repository());
    assertEquals("centos7", centos.tag());
    assertEquals(
        "/cvmfs/unpacked.cern.ch/registry.hub.docker.com/library/centos:centos7",
        CvmfsRecipe.path(read.cvmfsRepository(), centos, centos.tag()));
    CvmfsRecipe.Input wildcard =
        read.inputs().stream().filter(CvmfsRecipe.Input::wildcard).findFirst().orElseThrow();
    assertEquals("ghcr.io", wildcard.registry());
    assertEquals("watonomous/actions-runner-image", wildcard.repository());
    assertTrue(wildcard.tags().matcher("v2.311.0").matches());
    CvmfsRecipe.Input port =
        read.inputs().stream().filter(i -> i.registry().contains(":")).findFirst().orElseThrow();
    assertEquals("gitlab-p4n.aip.de:5005", port.registry());
  }

  @Test
  void wildcardsMatchOnlyWhatTheyName() {
    CvmfsRecipe.Input input = new CvmfsRecipe.Input("r.example", "pan/tool", "v1.*-gpu");
    assertTrue(input.tags().matcher("v1.2-gpu").matches());
    assertFalse(input.tags().matcher("v1.2-cpu").matches());
    // regex characters in the tag are literal: "." is a dot, not any character
    assertFalse(input.tags().matcher("v1x2-gpu").matches());
    assertFalse(new CvmfsRecipe.Input("r", "a", "1.0").tags().matcher("1x0").matches());
  }

  @Test
  void refusesWhatIsNotARecipe() {
    assertTrue(CvmfsRecipe.read("{").error().contains("not YAML"));
    assertTrue(CvmfsRecipe.read("- a\n- b\n").error().contains("mapping"));
    assertTrue(
        CvmfsRecipe.read("cvmfs_repo: '../etc'\ninput: ['https://a/b:c']\n")
            .error()
            .contains("cvmfs_repo"));
    assertTrue(CvmfsRecipe.read("cvmfs_repo: unpacked.cern.ch\n").error().contains("input"));
    CvmfsRecipe.Read odd =
        CvmfsRecipe.read(
            "cvmfs_repo: unpacked.cern.ch\ninput:\n  - 'https://r.example/Upper/case:1'\n"
                + "  - 'https://r.example/pan/../etc:1'\n  - 'https://r.example/ok/image:1'\n");
    assertNull(odd.error());
    assertEquals(1, odd.inputs().size());
    assertEquals(2, odd.ignored().size());
  }
}
