package org.pancat.harvest.apt;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Where a signed APT repository is and which part of it to read.
 *
 * @param baseUrl the repository's root (the directory holding {@code dists/} and {@code pool/})
 * @param suite the suite or codename, as in {@code dists/<suite>/InRelease}
 * @param components the components to read ({@code main}, ...)
 * @param architectures the architectures to read ({@code amd64}, ...)
 * @param armoredKey the archive's ASCII-armoured OpenPGP public key (block), one or more keys
 *     (several blocks may be concatenated)
 */
public record AptSource(
    URI baseUrl,
    String suite,
    List<String> components,
    List<String> architectures,
    String armoredKey) {
  public AptSource {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(suite, "suite");
    components = List.copyOf(components);
    architectures = List.copyOf(architectures);
    Objects.requireNonNull(armoredKey, "armoredKey");
  }
}
