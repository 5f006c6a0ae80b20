package org.pancat.vocab;

import java.util.Map;

/**
 * Fired inside the transaction that installs a new scheme revision: deprecated concepts and the
 * live concepts replacing them, so features holding tags can migrate in the same transaction.
 */
public record ConceptsReplaced(String scheme, Map<String, String> replacements, String actor) {}
