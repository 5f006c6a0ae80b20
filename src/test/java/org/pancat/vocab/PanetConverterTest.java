package org.pancat.vocab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PaNET converter and the techniques scheme it generated. */
class PanetConverterTest {
  private static final Path OWL = Path.of("vocab/source/PaNET_reasoned.owl");
  private static final String PANET = "http://purl.org/pan-science/PaNET/";
  private static ConceptScheme techniques;

  @BeforeAll
  static void readCommittedScheme() throws Exception {
    SkosReader.Result r =
        SkosReader.read("techniques", Files.readString(Path.of("vocab/techniques.ttl")), 1);
    assertTrue(r.errors().isEmpty(), r.errors().toString());
    techniques = r.scheme().orElseThrow();
  }

  @Test
  void conversionIsDeterministicAndMatchesTheCommittedFile() throws Exception {
    String first = convert();
    String second = convert();
    assertEquals(first, second, "two runs must give identical output");
    assertEquals(
        Files.readString(Path.of("vocab/techniques.ttl")),
        first,
        "vocab/techniques.ttl is stale: regenerate it (see vocab/README.md)");
  }

  @Test
  void onlyTechniqueClassesWithTrimmedLabels() {
    assertEquals(380, techniques.concepts().size());
    for (Concept c : techniques.concepts().values()) {
      assertTrue(c.iri().matches(PANET + "PaNET0\\d{4}"), c.iri());
      assertEquals(c.prefLabel().strip(), c.prefLabel());
    }
    assertEquals(
        "high resolution neutron imaging",
        techniques.concepts().get(PANET + "PaNET01250").prefLabel());
  }

  @Test
  void directParentsOnlyAndEveryConceptReachesTheRoot() {
    Concept gisaxs = techniques.concepts().get(PANET + "PaNET01162");
    Concept saxs = techniques.concepts().get(PANET + "PaNET01188");
    assertEquals(Set.of(PANET + "PaNET01184", PANET + "PaNET01124"), saxs.broader());
    assertTrue(gisaxs.broader().contains(PANET + "PaNET01188"), gisaxs.broader().toString());
    assertFalse(gisaxs.broader().contains(PANET + "PaNET00001"), "ancestors must be reduced");
    assertEquals(List.of("SAXS"), saxs.altLabels());
    VocabularySnapshot v = new VocabularySnapshot(List.of(techniques));
    for (Concept c : techniques.concepts().values()) {
      if (!c.iri().equals(PanetConverter.ROOT)) {
        assertTrue(v.selfAndAncestors(c.iri()).contains(PanetConverter.ROOT), c.iri());
      }
    }
  }

  @Test
  void hierarchyAgreesWithTheReferenceTable() throws Exception {
    // vocab/source/panet_terms.csv lists direct parents derived independently from the OWL
    Path table = Path.of("vocab/source/panet_terms.csv");
    var rows =
        new com.fasterxml.jackson.dataformat.csv.CsvMapper()
            .readerForMapOf(String.class)
            .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader())
            .<Map<String, String>>readValues(table.toFile())
            .readAll();
    int compared = 0;
    for (Map<String, String> row : rows) {
      if (!row.get("id").startsWith("PaNET0") || row.get("id").equals("PaNET00002")) {
        continue;
      }
      Set<String> expected = new TreeSet<>();
      for (String p : row.get("direct_parent_ids").split("\\|")) {
        if (p.startsWith("PaNET0")) {
          expected.add(PANET + p);
        }
      }
      if (expected.isEmpty()) {
        continue;
      }
      assertEquals(expected, techniques.concepts().get(row.get("iri")).broader(), row.get("id"));
      compared++;
    }
    assertTrue(compared > 370, "compared " + compared);
  }

  private static String convert() throws Exception {
    try (InputStream in = Files.newInputStream(OWL)) {
      Model model = PanetConverter.convert(in, "1.3");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Rio.write(model, out, RDFFormat.TURTLE);
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
