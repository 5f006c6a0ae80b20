package org.pancat.catalogue;

import java.util.List;
import java.util.Set;

/**
 * What search needs to know about one software and its live artifacts. Carries no artifact
 * reference: access is decided at read time, never baked into derived data.
 */
public record SoftwareFacts(
    String id,
    String facility,
    String slug,
    String origin,
    SoftwareDocument software,
    boolean withdrawn,
    String sharing,
    Set<String> sharingClasses,
    Set<String> trustClasses,
    Set<String> trustedSigners,
    Set<String> kinds,
    Set<String> architectures,
    Set<String> gpuVendors,
    Set<String> runtimes,
    List<String> versions) {}
