package org.pancat.resolve;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.pancat.catalogue.CatalogueQueries;
import org.pancat.catalogue.LaunchCandidate;
import org.pancat.changelog.ChangeAppended;

/**
 * Each software's live launch candidates (artifacts with release, digest, parsed document and trust
 * class), kept in memory between requests: portals ask about the same software over and over, and
 * reading and parsing them was most of a resolve's cost. Derived data: every committed change
 * empties it, and a load that overlapped a commit is not kept. Access is still decided per request,
 * never cached.
 */
@ApplicationScoped
public class LaunchCandidateCache {
  private final CatalogueQueries catalogue;
  private final int capacity;
  private final AtomicLong generation = new AtomicLong();
  private final Map<String, List<LaunchCandidate>> cache;

  LaunchCandidateCache(CatalogueQueries catalogue, ResolveConfig config) {
    this.catalogue = catalogue;
    this.capacity = config.cachedSoftware();
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, List<LaunchCandidate>> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The candidates of the given software, in the order given (call inside a transaction). */
  public List<LaunchCandidate> candidates(List<String> softwareIds) {
    long seen = generation.get();
    Map<String, List<LaunchCandidate>> found = new HashMap<>();
    List<String> missing = new ArrayList<>();
    synchronized (cache) {
      for (String id : softwareIds) {
        List<LaunchCandidate> hit = cache.get(id);
        if (hit != null) {
          found.put(id, hit);
        } else {
          missing.add(id);
        }
      }
    }
    if (!missing.isEmpty()) {
      Map<String, List<LaunchCandidate>> loaded = new HashMap<>();
      missing.forEach(id -> loaded.put(id, new ArrayList<>()));
      for (LaunchCandidate c : catalogue.launchCandidates(missing)) {
        loaded.get(c.softwareId()).add(c);
      }
      synchronized (cache) {
        // a commit since the load began may have changed what was read: use it, do not keep it
        if (capacity > 0 && generation.get() == seen) {
          loaded.forEach((id, list) -> cache.put(id, List.copyOf(list)));
        }
      }
      found.putAll(loaded);
    }
    List<LaunchCandidate> result = new ArrayList<>();
    for (String id : softwareIds) {
      result.addAll(found.getOrDefault(id, List.of()));
    }
    return result;
  }

  void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) ChangeAppended event) {
    synchronized (cache) {
      generation.incrementAndGet();
      cache.clear();
    }
  }
}
