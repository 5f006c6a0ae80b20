package org.pancat.vocab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.model.vocabulary.DCTERMS;
import org.eclipse.rdf4j.model.vocabulary.OWL;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;
import org.eclipse.rdf4j.model.vocabulary.SKOS;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;

/**
 * Derives the techniques concept scheme from PaNET's reasoned OWL:
 *
 * <ul>
 *   <li>only technique classes ({@code PaNET0xxxx}); the {@code PaNET2xxxxxx} specifier classes
 *       share labels with techniques and are not tags;
 *   <li>the reasoner asserts every ancestor as rdfs:subClassOf; only direct parents (the transitive
 *       reduction) become skos:broader;
 *   <li>rdfs:label becomes skos:prefLabel (trailing spaces trimmed), skos:altLabel (acronyms) is
 *       kept, IAO_0000115 becomes skos:definition.
 * </ul>
 *
 * Output is deterministic: concepts and values are written in sorted order.
 *
 * <p>Usage: {@code PanetConverter <PaNET_reasoned.owl> <techniques.ttl> <PaNET version>}
 */
public final class PanetConverter {
  public static final String SCHEME = "https://w3id.org/pancat/vocab/techniques";
  public static final String ROOT = "http://purl.org/pan-science/PaNET/PaNET00001";
  private static final Pattern TECHNIQUE =
      Pattern.compile("http://purl\\.org/pan-science/PaNET/PaNET0\\d{4}");
  private static final String DEFINITION = "http://purl.obolibrary.org/obo/IAO_0000115";

  private PanetConverter() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: PanetConverter <PaNET_reasoned.owl> <techniques.ttl> <version>");
      System.exit(2);
    }
    try (InputStream in = Files.newInputStream(Path.of(args[0]));
        OutputStream out = Files.newOutputStream(Path.of(args[1]))) {
      Model techniques = convert(in, args[2]);
      Rio.write(techniques, out, RDFFormat.TURTLE);
    }
  }

  static Model convert(InputStream owl, String version) throws IOException {
    Model source = Rio.parse(owl, "http://purl.org/pan-science/PaNET/PaNET.owl", RDFFormat.RDFXML);
    ValueFactory vf = SimpleValueFactory.getInstance();

    Map<String, Set<String>> ancestors = new TreeMap<>();
    for (var subject : source.filter(null, RDF.TYPE, OWL.CLASS).subjects()) {
      if (subject instanceof IRI iri && TECHNIQUE.matcher(iri.stringValue()).matches()) {
        Set<String> supers = new TreeSet<>();
        source.filter(iri, RDFS.SUBCLASSOF, null).objects().stream()
            .filter(v -> v instanceof IRI && TECHNIQUE.matcher(v.stringValue()).matches())
            .filter(v -> !v.equals(iri))
            .forEach(v -> supers.add(v.stringValue()));
        ancestors.put(iri.stringValue(), supers);
      }
    }

    IRI scheme = vf.createIRI(SCHEME);
    Model out = new LinkedHashModel();
    out.setNamespace(SKOS.NS);
    out.setNamespace(DCTERMS.NS);
    out.setNamespace(OWL.NS);
    out.setNamespace("panet", "http://purl.org/pan-science/PaNET/");
    out.add(scheme, RDF.TYPE, SKOS.CONCEPT_SCHEME);
    out.add(
        scheme,
        DCTERMS.TITLE,
        vf.createLiteral("Photon and neutron experimental techniques", "en"));
    out.add(scheme, OWL.VERSIONINFO, vf.createLiteral("PaNET " + version));
    out.add(scheme, DCTERMS.SOURCE, vf.createIRI("http://purl.org/pan-science/PaNET/PaNET.owl"));
    out.add(scheme, DCTERMS.LICENSE, vf.createIRI("https://creativecommons.org/licenses/by/4.0/"));
    out.add(
        scheme,
        DCTERMS.RIGHTS,
        vf.createLiteral(
            "Derived from PaNET, the ExPaNDS photon and neutron experimental techniques ontology,"
                + " CC-BY-4.0"));
    out.add(scheme, SKOS.HAS_TOP_CONCEPT, vf.createIRI(ROOT));

    for (Map.Entry<String, Set<String>> entry : ancestors.entrySet()) {
      IRI concept = vf.createIRI(entry.getKey());
      out.add(concept, RDF.TYPE, SKOS.CONCEPT);
      out.add(concept, SKOS.IN_SCHEME, scheme);
      literals(source, concept, RDFS.LABEL)
          .forEach(l -> out.add(concept, SKOS.PREF_LABEL, vf.createLiteral(l, "en")));
      literals(source, concept, SKOS.ALT_LABEL)
          .forEach(l -> out.add(concept, SKOS.ALT_LABEL, vf.createLiteral(l, "en")));
      literals(source, concept, vf.createIRI(DEFINITION))
          .forEach(l -> out.add(concept, SKOS.DEFINITION, vf.createLiteral(l, "en")));
      Set<String> parents = directParents(entry.getValue(), ancestors);
      if (parents.isEmpty() && !entry.getKey().equals(ROOT)) {
        parents = Set.of(ROOT);
      }
      for (String parent : parents) {
        out.add(concept, SKOS.BROADER, vf.createIRI(parent));
      }
    }
    return out;
  }

  /** The ancestors that are not also an ancestor of another ancestor. */
  static Set<String> directParents(Set<String> supers, Map<String, Set<String>> ancestors) {
    Set<String> implied = new HashSet<>();
    for (String s : supers) {
      implied.addAll(ancestors.getOrDefault(s, Set.of()));
    }
    Set<String> direct = new TreeSet<>(supers);
    direct.removeAll(implied);
    return direct;
  }

  private static List<String> literals(Model source, IRI subject, IRI predicate) {
    return source.filter(subject, predicate, null).objects().stream()
        .map(v -> v.stringValue().strip())
        .filter(s -> !s.isEmpty())
        .distinct()
        .sorted()
        .toList();
  }
}
