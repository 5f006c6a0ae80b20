package org.pancat.harvest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.pancat.catalogue.ArtifactDocument;
import org.pancat.kernel.Ids;

/**
 * Where a facility's software already sits and how to read it. Exactly one of {@code oci}, {@code
 * apt} and {@code cvmfs} is given, as {@code kind} says. No secret is stored here: {@code
 * credentials} names a set configured on the node ({@code pancat.harvest.credentials.<name>}).
 *
 * @param interval how often the source runs by itself (ISO-8601, at least PT1M); the node's default
 *     when absent, never when {@code PT0S}
 * @param whenGone what happens to the artifact of an item (tag, package) that is no longer there:
 *     {@code report} (the default: the run says so, the artifact stays) or {@code withdraw}
 * @param sharing the sharing class and conditions of every artifact the source yields, unless an
 *     image's {@code org.pancat.sharing} label says otherwise; open when absent
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HarvestSourceDocument(
    @NotBlank @Pattern(regexp = Ids.FACILITY, message = "must be a facility id") String facility,
    @NotBlank @Pattern(regexp = "oci|apt|cvmfs", message = "must be oci, apt or cvmfs") String kind,
    @Pattern(
            regexp = "P(T(?=\\d)(\\d{1,6}H)?(\\d{1,6}M)?(\\d{1,8}S)?|\\d{1,3}D)",
            message = "must be like PT6H, PT30M or P1D")
        String interval,
    @Pattern(regexp = "report|withdraw", message = "must be report or withdraw") String whenGone,
    @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must name a configured credential set")
        String credentials,
    @Valid ArtifactDocument.Sharing sharing,
    @Valid Oci oci,
    @Valid Apt apt,
    @Valid Cvmfs cvmfs) {

  /**
   * An OCI registry (distribution API v2).
   *
   * @param registry the registry's base URL, e.g. {@code https://harbor.esrf.fr}
   * @param referenceHost how image references name the registry ({@code host[:port]}); the URL's
   *     host and port when absent
   * @param repositories the repositories to read; every repository of {@code _catalog} when empty
   * @param includeTags tags to read (a regular expression matching the whole tag); all when absent
   * @param excludeTags tags to leave (a regular expression), e.g. {@code latest|.*-dev}
   * @param maxTags at most this many tags per repository (the newest by the registry's order)
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Oci(
      @NotBlank @Size(max = 500) @Pattern(regexp = "https?://[^\\s/]+/?", message = HTTP_BASE)
          String registry,
      @Size(max = 300) @Pattern(regexp = HOST_PORT, message = "must be host or host:port")
          String referenceHost,
      @Size(max = 1000) List<@NotNull @Pattern(regexp = REPOSITORY) String> repositories,
      @Size(max = 500) String includeTags,
      @Size(max = 500) String excludeTags,
      @Min(1) @Max(10000) Integer maxTags) {

    public Oci {
      repositories = repositories == null ? List.of() : List.copyOf(repositories);
    }
  }

  /**
   * A signed APT repository.
   *
   * @param url the repository's base URL (the folder holding {@code dists/})
   * @param archiveKey the ASCII-armoured OpenPGP public key that signs its {@code InRelease}
   * @param registerUnmatched whether a package that matches no software of the facility (by a
   *     {@code debian} same-as link, or a slug equal to its source package) registers new software;
   *     when false (the default) the run reports it as unmatched
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Apt(
      @NotBlank @Size(max = 500) @Pattern(regexp = "https?://[^\\s]+", message = HTTP_BASE)
          String url,
      @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._/-]{0,99}") String suite,
      @Size(min = 1, max = 20)
          List<@NotNull @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,62}") String> components,
      @Size(min = 1, max = 20)
          List<@NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,30}") String> architectures,
      @NotBlank @Size(max = 100000) String archiveKey,
      Boolean registerUnmatched) {

    public Apt {
      components = components == null ? List.of("main") : List.copyOf(components);
      architectures = architectures == null ? List.of("amd64") : List.copyOf(architectures);
      registerUnmatched = Boolean.TRUE.equals(registerUnmatched);
    }
  }

  /**
   * A CVMFS unpacked wish list, in the format of the {@code unpacked.cern.ch} recipe ({@code
   * cvmfs_repo}, and {@code input}: {@code https://<registry>/<repository>:<tag>}, a tag of {@code
   * *} or with wildcards meaning each matching tag).
   *
   * @param registries where to read each registry the recipe names (host to base URL), e.g. a
   *     mirror; {@code https://<host>} when absent
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Cvmfs(
      @NotBlank @Size(max = 1_000_000) String recipe,
      @Size(max = 100)
          Map<
                  @Pattern(regexp = HOST_PORT) String,
                  @NotBlank @Pattern(regexp = "https?://[^\\s/]+/?", message = HTTP_BASE) String>
              registries,
      @Min(1) @Max(10000) Integer maxTags) {

    public Cvmfs {
      registries = registries == null ? Map.of() : Map.copyOf(registries);
    }
  }

  static final String HTTP_BASE = "must be an http(s) URL";
  static final String HOST_PORT = "[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?";

  /** A repository name as the distribution spec defines it (components joined by {@code /}). */
  static final String REPOSITORY =
      "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*";

  /** How often the source runs by itself: its own interval, else {@code fallback}; zero: never. */
  Duration every(Duration fallback) {
    return interval == null ? fallback : Duration.parse(interval);
  }

  boolean withdrawsGone() {
    return "withdraw".equals(whenGone);
  }
}
