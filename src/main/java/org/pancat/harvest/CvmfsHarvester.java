package org.pancat.harvest;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pancat.harvest.oci.RegistryClient;
import org.pancat.harvest.oci.RegistryRefused;

/**
 * Harvests a CVMFS unpacked wish list: each image it names (each tag a wildcard matches) is
 * harvested from its registry as an {@code oci-image} artifact, and its unpacked path {@code
 * /cvmfs/<repo>/<registry>/<repository>:<tag>} as a {@code cvmfs} artifact derived from it, with
 * the same digest and evidence, so resolve can offer it where CVMFS is mounted.
 */
@ApplicationScoped
class CvmfsHarvester implements Harvester {
  static final String KEY_PREFIX = "cvmfs ";
  private static final int DEFAULT_MAX_TAGS = 100;

  private final OciHarvester oci;

  CvmfsHarvester(OciHarvester oci) {
    this.oci = oci;
  }

  @Override
  public String kind() {
    return "cvmfs";
  }

  @Override
  public void harvest(RunContext run) {
    HarvestSourceDocument.Cvmfs settings = run.source.cvmfs();
    CvmfsRecipe.Read recipe = CvmfsRecipe.read(settings.recipe());
    if (recipe.error() != null) {
      throw new HarvestRefused(recipe.error());
    }
    for (String ignored : recipe.ignored()) {
      run.skip(
          KEY_PREFIX + ignored,
          "not an image reference of the form https://<registry>/<repository>:<tag>");
    }
    int maxTags = settings.maxTags() == null ? DEFAULT_MAX_TAGS : settings.maxTags();
    Map<String, RegistryClient> clients = new HashMap<>();
    Map<String, List<String>> tagLists = new HashMap<>();
    Set<String> present = new HashSet<>();
    boolean readWhole = true;
    for (CvmfsRecipe.Input input : recipe.inputs()) {
      if (run.stopping()) {
        return;
      }
      RegistryClient client =
          clients.computeIfAbsent(
              input.registry(),
              host -> oci.client(run, settings.registries().getOrDefault(host, "https://" + host)));
      String repositoryKey = input.registry() + "/" + input.repository();
      List<String> tags = tagLists.get(repositoryKey);
      if (tags == null) {
        try {
          tags = client.tags(input.repository());
          run.report.requested(1);
          tagLists.put(repositoryKey, tags);
        } catch (RegistryRefused refused) {
          readWhole = false;
          run.refuse(KEY_PREFIX + repositoryKey + ":" + input.tag(), refused.reason());
          continue;
        }
      }
      List<String> matching;
      if (input.wildcard()) {
        matching =
            tags.stream()
                .filter(t -> !OciHarvester.COSIGN_TAG.matcher(t).matches())
                .filter(t -> input.tags().matcher(t).matches())
                .toList();
        if (matching.size() > maxTags) {
          matching = matching.subList(matching.size() - maxTags, matching.size());
        }
      } else if (tags.contains(input.tag())) {
        matching = List.of(input.tag());
      } else {
        run.refuse(KEY_PREFIX + repositoryKey + ":" + input.tag(), "the registry has no such tag");
        continue;
      }
      run.report.expect(matching.size());
      Set<String> all = new HashSet<>(tags);
      for (String tag : matching) {
        String path = CvmfsRecipe.path(recipe.cvmfsRepository(), input, tag);
        String key = KEY_PREFIX + path;
        if (present.add(key)) {
          oci.image(
              run,
              client,
              new OciHarvester.Target(input.registry(), input.repository(), tag, key, path),
              all);
        }
      }
    }
    if (readWhole) {
      run.goneUnder(KEY_PREFIX, present);
    }
  }
}
