package org.pancat.access;

/**
 * What of an artifact one reader may see, decided by {@link AccessPolicy} and applied by every read
 * path and by the feed export. Evidence documents (signature bundles and payloads, provenance
 * statements) name the image they are about (an in-toto subject, a cosign payload's
 * docker-reference) and their signatures confirm a guessed one, so they go with the reference:
 * whoever may not have the reference gets neither, only what verification concluded.
 *
 * @param access the decision behind it, with its reasons and how to qualify
 * @param reference whether the pull reference is shown
 * @param evidence whether signature bundles, payloads and provenance statements are shown
 * @param withheld why something is left out, or null when nothing is
 */
public record Disclosure(
    AccessDecision access, boolean reference, boolean evidence, String withheld) {

  static Disclosure whole(AccessDecision access) {
    return new Disclosure(access, true, true, null);
  }

  static Disclosure withoutReference(AccessDecision access, String why) {
    return new Disclosure(access, false, false, why);
  }
}
