package org.pancat.harvest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CVMFS unpacked wish list, in the format of the public {@code unpacked.cern.ch} recipe: {@code
 * cvmfs_repo}, and {@code input}, a list of {@code https://<registry>/<repository>:<tag>} where a
 * tag with {@code *} stands for every matching tag. Each image is unpacked to {@code
 * /cvmfs/<cvmfs_repo>/<registry>/<repository>:<tag>}.
 */
final class CvmfsRecipe {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern INPUT =
      Pattern.compile(
          "https?://(?<registry>[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?)/(?<repository>"
              + HarvestSourceDocument.REPOSITORY
              + "):(?<tag>[A-Za-z0-9_*][A-Za-z0-9_.*-]{0,127})");
  private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final int MAX_INPUTS = 10_000;

  /** One image, or one wildcard of tags, of the wish list. */
  record Input(String registry, String repository, String tag) {
    boolean wildcard() {
      return tag.contains("*");
    }

    /** The tags the wildcard stands for, as a regular expression. */
    Pattern tags() {
      StringBuilder regex = new StringBuilder();
      for (String part : tag.split("\\*", -1)) {
        if (!regex.isEmpty()) {
          regex.append(".*");
        }
        regex.append(Pattern.quote(part));
      }
      return Pattern.compile(regex.toString());
    }
  }

  /** The recipe read, or why it cannot be ({@code error}, and nothing else, set). */
  record Read(String cvmfsRepository, List<Input> inputs, List<String> ignored, String error) {}

  private CvmfsRecipe() {}

  static Read read(String text) {
    JsonNode recipe;
    try {
      recipe = YAML.readTree(text);
    } catch (IOException e) {
      return refused("is not YAML");
    }
    if (recipe == null || !recipe.isObject()) {
      return refused("must be a YAML mapping with cvmfs_repo and input");
    }
    String repository = recipe.path("cvmfs_repo").asText("");
    if (!REPOSITORY.matcher(repository).matches()) {
      return refused("cvmfs_repo must name a CVMFS repository, e.g. unpacked.cern.ch");
    }
    JsonNode input = recipe.path("input");
    if (!input.isArray() || input.isEmpty()) {
      return refused("input must list images (https://<registry>/<repository>:<tag>)");
    }
    if (input.size() > MAX_INPUTS) {
      return refused("input lists more than " + MAX_INPUTS + " images");
    }
    Set<Input> inputs = new LinkedHashSet<>();
    List<String> ignored = new ArrayList<>();
    for (JsonNode entry : input) {
      Matcher m = INPUT.matcher(entry.asText("").strip());
      if (m.matches()) {
        inputs.add(
            new Input(
                m.group("registry").toLowerCase(Locale.ROOT),
                m.group("repository"),
                m.group("tag")));
      } else {
        // the public list has entries a registry cannot answer (digests, upper case): said, not
        // fatal
        ignored.add(entry.asText("").strip());
      }
    }
    return new Read(repository, List.copyOf(inputs), List.copyOf(ignored), null);
  }

  static String path(String cvmfsRepository, Input input, String tag) {
    return "/cvmfs/"
        + cvmfsRepository
        + "/"
        + input.registry()
        + "/"
        + input.repository()
        + ":"
        + tag;
  }

  private static Read refused(String why) {
    return new Read(null, List.of(), List.of(), "the recipe " + why);
  }
}
