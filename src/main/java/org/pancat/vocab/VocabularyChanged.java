package org.pancat.vocab;

/** Fired after a scheme revision is committed; derived data built from labels must refresh. */
public record VocabularyChanged(String scheme, int revision) {}
