package org.pancat.catalogue;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Software metadata as registered by its facility. Techniques, functions and formats are concept
 * IRIs (or terms until the vocabulary feature resolves them); {@code licence} is an SPDX
 * expression.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SoftwareDocument(
    @NotBlank @Size(max = 200) @Pattern(regexp = Patterns.NO_CONTROL) String name,
    @Size(max = 20000) String description,
    @Size(max = 500) @Pattern(regexp = Patterns.HTTP_URL, message = Patterns.HTTP_URL_MESSAGE)
        String homepage,
    @NotBlank String licence,
    @Size(max = 50) List<@Pattern(regexp = Patterns.TERM) String> techniques,
    @Size(max = 50) List<@Pattern(regexp = Patterns.TERM) String> functions,
    @Size(max = 50) List<@Pattern(regexp = Patterns.TERM) String> inputFormats,
    @Size(max = 50) List<@Pattern(regexp = Patterns.TERM) String> outputFormats,
    @Size(max = 50) List<@Pattern(regexp = Patterns.KEYWORD) String> keywords,
    @Size(max = 20) List<@Valid Contact> contacts,
    @Size(max = 20)
        Map<@Pattern(regexp = "[a-z][a-z0-9-]{0,30}") String, @NotBlank @Size(max = 300) String>
            sameAs) {

  public SoftwareDocument {
    techniques = copy(techniques);
    functions = copy(functions);
    inputFormats = copy(inputFormats);
    outputFormats = copy(outputFormats);
    keywords = copy(keywords);
    contacts = contacts == null ? List.of() : List.copyOf(contacts);
    sameAs = sameAs == null ? Map.of() : Map.copyOf(sameAs);
  }

  SoftwareDocument withLicence(String normalisedLicence) {
    return new SoftwareDocument(
        name,
        description,
        homepage,
        normalisedLicence,
        techniques,
        functions,
        inputFormats,
        outputFormats,
        keywords,
        contacts,
        sameAs);
  }

  SoftwareDocument withConcepts(
      List<String> techniqueIris,
      List<String> functionIris,
      List<String> inputFormatIris,
      List<String> outputFormatIris) {
    return new SoftwareDocument(
        name,
        description,
        homepage,
        licence,
        techniqueIris,
        functionIris,
        inputFormatIris,
        outputFormatIris,
        keywords,
        contacts,
        sameAs);
  }

  /** The same document with one concept IRI replaced wherever it is used as a tag. */
  SoftwareDocument replacingConcept(String from, String to) {
    return withConcepts(
        replace(techniques, from, to),
        replace(functions, from, to),
        replace(inputFormats, from, to),
        replace(outputFormats, from, to));
  }

  private static List<String> replace(List<String> values, String from, String to) {
    return values.stream().map(v -> v.equals(from) ? to : v).distinct().toList();
  }

  private static List<String> copy(List<String> values) {
    return values == null ? List.of() : values.stream().map(String::strip).distinct().toList();
  }

  /** Someone to ask about the software. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Contact(
      @Size(max = 200) String name,
      @Email @Size(max = 300) String email,
      @Size(max = 500) @Pattern(regexp = Patterns.HTTP_URL, message = Patterns.HTTP_URL_MESSAGE)
          String url) {}
}
