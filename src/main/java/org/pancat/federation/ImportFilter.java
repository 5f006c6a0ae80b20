package org.pancat.federation;

import java.util.List;
import java.util.Set;
import org.pancat.changelog.ImportPolicy;
import org.pancat.vocab.Vocabulary;
import org.pancat.vocab.VocabularySnapshot;

/**
 * A peer's import policy from the peers file, with its technique terms resolved to concepts; an
 * empty set restricts nothing. Techniques match by hierarchy: software tagged with a narrower
 * concept than one listed is imported too (read against the vocabulary as it is at import time).
 */
final class ImportFilter implements ImportPolicy {
  private final Set<String> facilities;
  private final Set<String> sharingClasses;
  private final Set<String> techniques;
  private final boolean trustedOnly;
  private final Vocabulary vocabulary;

  ImportFilter(
      Set<String> facilities,
      Set<String> sharingClasses,
      Set<String> techniques,
      boolean trustedOnly,
      Vocabulary vocabulary) {
    this.facilities = Set.copyOf(facilities);
    this.sharingClasses = Set.copyOf(sharingClasses);
    this.techniques = Set.copyOf(techniques);
    this.trustedOnly = trustedOnly;
    this.vocabulary = vocabulary;
  }

  @Override
  public boolean acceptsFacility(String facilityId) {
    return facilities.isEmpty() || facilities.contains(facilityId);
  }

  @Override
  public boolean acceptsSharing(String sharingClass) {
    return sharingClasses.isEmpty() || sharingClasses.contains(sharingClass);
  }

  @Override
  public boolean acceptsTechniques(List<String> tagged) {
    if (techniques.isEmpty()) {
      return true;
    }
    VocabularySnapshot concepts = vocabulary.snapshot();
    return tagged.stream()
        .map(concepts::selfAndAncestors)
        .anyMatch(closure -> closure.stream().anyMatch(techniques::contains));
  }

  @Override
  public boolean trustedOnly() {
    return trustedOnly;
  }
}
