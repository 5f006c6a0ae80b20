package org.pancat.search;

import java.util.List;
import java.util.Set;

/**
 * One software as the index sees it: text to rank, keyword fields to filter and count, concept
 * closures (tag plus ancestors) so a broad filter matches narrower tags, and a stored summary.
 */
public record IndexedSoftware(
    String id,
    String facility,
    String name,
    String description,
    List<String> keywords,
    List<String> conceptLabels,
    Set<String> licenceIds,
    Set<String> techniques,
    Set<String> techniqueClosure,
    Set<String> functionClosure,
    Set<String> formatClosure,
    Set<String> trust,
    Set<String> sharing,
    Set<String> kinds,
    Set<String> architectures,
    Set<String> gpuVendors,
    boolean withdrawn,
    String summaryJson) {}
