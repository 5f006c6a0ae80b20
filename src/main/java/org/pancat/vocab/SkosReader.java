package org.pancat.vocab;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.vocabulary.DCTERMS;
import org.eclipse.rdf4j.model.vocabulary.OWL;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.SKOS;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.RDFParseException;
import org.eclipse.rdf4j.rio.Rio;

/**
 * Reads one SKOS concept scheme from Turtle with RDF4J Rio and checks it: exactly one
 * skos:ConceptScheme, every concept with one prefLabel, no dangling or cyclic skos:broader,
 * replacements that exist. Problems are collected and returned, never half-loaded.
 */
final class SkosReader {
  private SkosReader() {}

  /** Either a scheme or the list of reasons it was refused. */
  record Result(Optional<ConceptScheme> scheme, List<String> errors) {}

  static Result read(String id, String turtle, int revision) {
    Model model;
    try {
      model = Rio.parse(new StringReader(turtle), "urn:pancat:vocab:" + id + "/", RDFFormat.TURTLE);
    } catch (RDFParseException e) {
      return fail(
          "not valid Turtle (line " + e.getLineNumber() + "): " + firstLine(e.getMessage()));
    } catch (IOException e) {
      return fail("cannot read the document");
    }
    Set<Resource> schemes = model.filter(null, RDF.TYPE, SKOS.CONCEPT_SCHEME).subjects();
    if (schemes.size() != 1 || !(schemes.iterator().next() instanceof IRI)) {
      return fail("must declare exactly one skos:ConceptScheme with an IRI");
    }
    IRI schemeIri = (IRI) schemes.iterator().next();
    List<String> errors = new ArrayList<>();
    Map<String, Concept> concepts = new HashMap<>();
    for (Resource subject : model.filter(null, RDF.TYPE, SKOS.CONCEPT).subjects()) {
      if (!(subject instanceof IRI iri)) {
        errors.add("a skos:Concept without an IRI (blank node)");
        continue;
      }
      List<String> pref = labels(model, iri, SKOS.PREF_LABEL);
      if (pref.size() != 1) {
        errors.add(iri + " needs exactly one skos:prefLabel, has " + pref.size());
        continue;
      }
      Set<String> broader = new TreeSet<>();
      model.filter(iri, SKOS.BROADER, null).objects().forEach(v -> broader.add(v.stringValue()));
      boolean deprecated =
          model.filter(iri, OWL.DEPRECATED, null).objects().stream()
              .anyMatch(v -> v instanceof Literal l && l.booleanValue());
      String replacedBy =
          model.filter(iri, DCTERMS.IS_REPLACED_BY, null).objects().stream()
              .map(Value::stringValue)
              .findFirst()
              .orElse(null);
      List<String> definitions = labels(model, iri, SKOS.DEFINITION);
      concepts.put(
          iri.stringValue(),
          new Concept(
              iri.stringValue(),
              id,
              pref.get(0),
              labels(model, iri, SKOS.ALT_LABEL),
              definitions.isEmpty() ? null : definitions.get(0),
              broader,
              deprecated,
              replacedBy));
    }
    if (concepts.isEmpty()) {
      errors.add("the scheme has no skos:Concept");
    }
    for (Concept c : concepts.values()) {
      for (String parent : c.broader()) {
        if (!concepts.containsKey(parent)) {
          errors.add(c.iri() + " has skos:broader " + parent + ", which is not a concept of it");
        }
      }
      if (c.replacedBy() != null
          && (!concepts.containsKey(c.replacedBy()) || concepts.get(c.replacedBy()).deprecated())) {
        errors.add(c.iri() + " is replaced by " + c.replacedBy() + ", which is not a live concept");
      }
      if (c.replacedBy() != null && !c.deprecated()) {
        errors.add(c.iri() + " has dct:isReplacedBy but is not owl:deprecated");
      }
    }
    findCycle(concepts).ifPresent(cycle -> errors.add("skos:broader cycle: " + cycle));
    if (!errors.isEmpty()) {
      return new Result(Optional.empty(), errors.stream().sorted().limit(50).toList());
    }
    String title =
        model.filter(schemeIri, DCTERMS.TITLE, null).objects().stream()
            .map(Value::stringValue)
            .findFirst()
            .orElse(id);
    String version =
        model.filter(schemeIri, OWL.VERSIONINFO, null).objects().stream()
            .map(Value::stringValue)
            .findFirst()
            .orElse("unversioned");
    return new Result(
        Optional.of(
            new ConceptScheme(id, schemeIri.stringValue(), title, version, revision, concepts)),
        List.of());
  }

  private static List<String> labels(Model model, IRI subject, IRI predicate) {
    return model.filter(subject, predicate, null).objects().stream()
        .filter(Literal.class::isInstance)
        .map(v -> v.stringValue().strip())
        .filter(s -> !s.isEmpty())
        .distinct()
        .sorted()
        .toList();
  }

  /** Depth-first search with colours; returns one cycle as "a > b > a" if there is one. */
  private static Optional<String> findCycle(Map<String, Concept> concepts) {
    Set<String> done = new HashSet<>();
    for (String start : new TreeSet<>(concepts.keySet())) {
      if (done.contains(start)) {
        continue;
      }
      Deque<String> path = new ArrayDeque<>();
      Optional<String> cycle = visit(start, concepts, done, new HashSet<>(), path);
      if (cycle.isPresent()) {
        return cycle;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> visit(
      String iri,
      Map<String, Concept> concepts,
      Set<String> done,
      Set<String> onPath,
      Deque<String> path) {
    if (onPath.contains(iri)) {
      List<String> cycle = new ArrayList<>();
      boolean in = false;
      for (String p : path) {
        in |= p.equals(iri);
        if (in) {
          cycle.add(p);
        }
      }
      cycle.add(iri);
      return Optional.of(String.join(" > ", cycle));
    }
    if (done.contains(iri) || !concepts.containsKey(iri)) {
      return Optional.empty();
    }
    onPath.add(iri);
    path.addLast(iri);
    for (String parent : concepts.get(iri).broader()) {
      Optional<String> cycle = visit(parent, concepts, done, onPath, path);
      if (cycle.isPresent()) {
        return cycle;
      }
    }
    path.removeLast();
    onPath.remove(iri);
    done.add(iri);
    return Optional.empty();
  }

  private static Result fail(String error) {
    return new Result(Optional.empty(), List.of(error));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
