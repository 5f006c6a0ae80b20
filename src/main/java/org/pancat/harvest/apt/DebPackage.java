package org.pancat.harvest.apt;

/**
 * One binary package stanza of a Packages index.
 *
 * @param name {@code Package}
 * @param version {@code Version} (may carry an epoch, {@code 1:2.3-1})
 * @param architecture {@code Architecture} ({@code all}, {@code amd64}, ...)
 * @param source the {@code Source} field without its "(version)" part, or the package name when
 *     absent
 * @param homepage {@code Homepage}, or null when absent (not checked to be a URL)
 * @param description the synopsis (first line of {@code Description}), empty when absent
 * @param longDescription the rest of {@code Description}: one leading space removed from each line,
 *     " ." lines as empty lines, lines joined with "\n"; may be empty
 * @param section {@code Section}, or null when absent
 * @param maintainer {@code Maintainer}, or null when absent
 * @param filename {@code Filename}, the .deb's path relative to the repository's root
 * @param size {@code Size} of the .deb in bytes
 * @param sha256 {@code SHA256} of the .deb, lower-case hex
 */
public record DebPackage(
    String name,
    String version,
    String architecture,
    String source,
    String homepage,
    String description,
    String longDescription,
    String section,
    String maintainer,
    String filename,
    long size,
    String sha256) {}
