package org.pancat.vocab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Scheme validation: every refusal names its reason. */
class SkosReaderTest {
  private static final String HEAD =
      "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
          + "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
          + "@prefix dct: <http://purl.org/dc/terms/> .\n"
          + "@prefix x: <https://example.org/x/> .\n"
          + "<https://example.org/x> a skos:ConceptScheme .\n";

  @Test
  void cycleIsRefused() {
    assertRefused(
        "x:a a skos:Concept ; skos:prefLabel \"a\" ; skos:broader x:b .\n"
            + "x:b a skos:Concept ; skos:prefLabel \"b\" ; skos:broader x:a .",
        "cycle");
  }

  @Test
  void danglingBroaderIsRefused() {
    assertRefused(
        "x:a a skos:Concept ; skos:prefLabel \"a\" ; skos:broader x:zzz .", "not a concept");
  }

  @Test
  void missingPrefLabelIsRefused() {
    assertRefused("x:a a skos:Concept .", "prefLabel");
  }

  @Test
  void replacementMustBeLive() {
    assertRefused(
        "x:a a skos:Concept ; skos:prefLabel \"a\" ; owl:deprecated true ; dct:isReplacedBy x:q .",
        "not a live concept");
  }

  @Test
  void syntaxErrorsAreRefused() {
    SkosReader.Result r = SkosReader.read("x", HEAD + "x:a a skos:Concept ; ;; \"", 1);
    assertTrue(r.scheme().isEmpty());
    assertTrue(r.errors().get(0).contains("Turtle"), r.errors().toString());
  }

  @Test
  void validSchemeIsRead() {
    SkosReader.Result r =
        SkosReader.read(
            "x",
            HEAD
                + "x:a a skos:Concept ; skos:prefLabel \"a \"@en ; skos:altLabel \"A1\" .\n"
                + "x:b a skos:Concept ; skos:prefLabel \"b\" ; skos:broader x:a .",
            3);
    assertTrue(r.errors().isEmpty(), r.errors().toString());
    assertTrue(
        r.scheme().orElseThrow().concepts().get("https://example.org/x/a").prefLabel().equals("a"));
  }

  private static void assertRefused(String body, String reason) {
    SkosReader.Result r = SkosReader.read("x", HEAD + body, 1);
    assertTrue(r.scheme().isEmpty());
    assertTrue(r.errors().stream().anyMatch(e -> e.contains(reason)), r.errors().toString());
  }
}
