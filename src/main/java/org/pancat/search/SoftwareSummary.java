package org.pancat.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Set;

/** The part of a software a search hit shows; stored in the index, free of any reference. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SoftwareSummary(
    String id,
    String facility,
    String slug,
    String origin,
    String name,
    String description,
    String homepage,
    String licence,
    List<String> techniques,
    List<String> functions,
    List<String> inputFormats,
    List<String> outputFormats,
    List<String> keywords,
    String sharing,
    Set<String> trust,
    Set<String> signedBy,
    Set<String> kinds,
    Set<String> architectures,
    Set<String> gpuVendors,
    List<String> versions,
    boolean withdrawn) {

  /** Empty members are left out of the stored JSON; reading gives them back as empty. */
  public SoftwareSummary {
    techniques = techniques == null ? List.of() : techniques;
    functions = functions == null ? List.of() : functions;
    inputFormats = inputFormats == null ? List.of() : inputFormats;
    outputFormats = outputFormats == null ? List.of() : outputFormats;
    keywords = keywords == null ? List.of() : keywords;
    trust = trust == null ? Set.of() : trust;
    signedBy = signedBy == null ? Set.of() : signedBy;
    kinds = kinds == null ? Set.of() : kinds;
    architectures = architectures == null ? Set.of() : architectures;
    gpuVendors = gpuVendors == null ? Set.of() : gpuVendors;
    versions = versions == null ? List.of() : versions;
  }
}
