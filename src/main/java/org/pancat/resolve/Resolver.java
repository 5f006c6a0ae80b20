package org.pancat.resolve;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.pancat.access.AccessAudit;
import org.pancat.access.AccessDecision;
import org.pancat.access.AccessPolicy;
import org.pancat.access.Principal;
import org.pancat.access.SharingClass;
import org.pancat.access.SharingConditions;
import org.pancat.catalogue.ArtifactKind;
import org.pancat.catalogue.CatalogueQueries;
import org.pancat.catalogue.LaunchCandidate;
import org.pancat.catalogue.SpdxExpression;
import org.pancat.problem.ProblemException;
import org.pancat.search.SearchService;

/**
 * Launch resolution for portals: finds candidate software, checks every live artifact against the
 * resource (LaunchRules) and the caller (AccessPolicy.mayLaunch), and ranks what is left: trusted
 * first, then local to the resource's facility, native runtime, newest release. The same request at
 * the same catalogue state gives the same answer.
 */
@ApplicationScoped
public class Resolver {
  private static final int CANDIDATE_SOFTWARE = 50;

  private final ComputeResources resources;
  private final CatalogueQueries catalogue;
  private final SearchService search;
  private final AccessPolicy policy;
  private final AccessAudit audit;
  private final LaunchCandidateCache candidates;

  Resolver(
      ComputeResources resources,
      CatalogueQueries catalogue,
      SearchService search,
      AccessPolicy policy,
      AccessAudit audit,
      LaunchCandidateCache candidates) {
    this.candidates = candidates;
    this.resources = resources;
    this.catalogue = catalogue;
    this.search = search;
    this.policy = policy;
    this.audit = audit;
  }

  @Transactional
  public ResolveResult resolve(ResolveRequest request, Principal principal) {
    long selectors =
        Stream.of(request.software(), request.technique(), request.function(), request.q())
            .filter(s -> s != null && !s.isBlank())
            .count();
    if (selectors != 1) {
      throw ProblemException.invalid(
          "software", "give exactly one of software, technique, function and q");
    }
    if ((request.computeResource() == null) == (request.capabilities() == null)) {
      throw ProblemException.invalid(
          "computeResource", "give exactly one of computeResource and capabilities");
    }
    Capabilities capabilities =
        request.computeResource() != null
            ? resources.capabilities(resources.get(request.computeResource()).resource())
            : resources.capabilities(resources.normalise(request.capabilities()));
    Constraints constraints = constraints(request.constraints(), capabilities);
    List<String> software = candidateSoftware(request);
    int limit = request.limit() == null ? 10 : request.limit();
    return evaluate(
        request.computeResource(), software, capabilities, constraints, principal, limit);
  }

  /** The best launchable artifact of each software, for a portal's menu. */
  @Transactional
  public List<ResolveResult.Candidate> best(
      List<String> software, Capabilities capabilities, Principal principal) {
    List<ResolveResult.Candidate> best = new ArrayList<>();
    for (String id : software) {
      ResolveResult r = evaluate(null, List.of(id), capabilities, Constraints.NONE, principal, 1);
      best.addAll(r.candidates());
    }
    return best;
  }

  private ResolveResult evaluate(
      String resourceId,
      List<String> software,
      Capabilities capabilities,
      Constraints constraints,
      Principal principal,
      int limit) {
    List<Scored> accepted = new ArrayList<>();
    List<ResolveResult.Rejected> rejected = new ArrayList<>();
    for (LaunchCandidate c : candidates.candidates(software)) {
      ArtifactSharing sharing = ArtifactSharing.of(c);
      AccessDecision access =
          policy.mayLaunch(
              principal,
              c.facility(),
              sharing.sharingClass(),
              sharing.conditions(),
              capabilities.facility());
      // a reason may name the registry or CVMFS repository only to who may have the reference
      LaunchRules.Evaluation rules =
          LaunchRules.evaluate(c, c.licence(), capabilities, constraints, access.granted());
      List<String> reasons = new ArrayList<>(rules.rejections());
      if (!access.granted()) {
        reasons.addAll(access.reasons());
      }
      if (reasons.isEmpty()) {
        accepted.add(
            new Scored(
                c,
                rules.launch(),
                sharing.sharingClass(),
                access,
                c.facility().equals(capabilities.facility())));
      } else {
        rejected.add(
            new ResolveResult.Rejected(
                c.softwareId(), c.version(), c.artifactId(), c.kind(), reasons, access.how()));
      }
    }
    accepted.sort(RANKING);
    List<ResolveResult.Candidate> candidates = new ArrayList<>();
    for (Scored s : accepted.subList(0, Math.min(limit, accepted.size()))) {
      if (s.sharing() != SharingClass.OPEN) {
        audit.record(
            principal,
            "reveal",
            s.candidate().artifactId(),
            "launch resolution: " + s.access().reasons().get(0));
      }
      candidates.add(candidate(candidates.size() + 1, s, capabilities));
    }
    return new ResolveResult(resourceId, candidates, rejected);
  }

  private static final Comparator<Scored> RANKING =
      Comparator.comparing((Scored s) -> !"trusted".equals(s.candidate().trustClass()))
          .thenComparing(s -> !s.local())
          .thenComparing(s -> !s.launch().nativeRuntime())
          .thenComparing(
              (Scored s) -> s.candidate().releasePublishedAt(), Comparator.reverseOrder())
          .thenComparing(s -> s.candidate().softwareId())
          .thenComparing(s -> s.candidate().artifactId());

  private record Scored(
      LaunchCandidate candidate,
      LaunchRules.Launch launch,
      SharingClass sharing,
      AccessDecision access,
      boolean local) {}

  private static ResolveResult.Candidate candidate(int rank, Scored s, Capabilities resource) {
    LaunchCandidate c = s.candidate();
    List<String> why = new ArrayList<>();
    why.add(
        "trusted".equals(c.trustClass())
            ? "trusted under " + c.facility() + "'s trust policy"
            : "untrusted (see the artifact's trust reasons)");
    if (c.facility().equals(resource.facility())) {
      why.add("local to " + resource.facility());
    }
    why.add(
        (s.launch().nativeRuntime() ? "native runtime " : "runs under ")
            + s.launch().runtime()
            + " for a "
            + c.kind());
    why.add("release " + c.version() + " published " + c.releasePublishedAt());
    why.add("access: " + s.access().reasons().get(0));
    LaunchRules.Launch l = s.launch();
    return new ResolveResult.Candidate(
        rank,
        c.softwareId(),
        c.softwareName(),
        c.version(),
        c.artifactId(),
        c.kind(),
        l.pinnedReference(),
        c.digest(),
        l.runtime(),
        new ResolveResult.LaunchHint(
            l.prepare(),
            l.argv(),
            l.runtimeEnv(),
            l.entrypoint(),
            l.ports(),
            l.env(),
            l.mounts(),
            l.display()),
        new ResolveResult.Verification(c.signaturesPath(), c.trustClass()),
        why);
  }

  private List<String> candidateSoftware(ResolveRequest request) {
    if (request.software() != null) {
      String[] parts = request.software().split("/");
      return List.of(catalogue.softwareId(parts[0], parts[1]));
    }
    Map<String, List<String>> concepts =
        request.technique() != null
            ? Map.of("technique", List.of(request.technique()))
            : request.function() != null
                ? Map.of("function", List.of(request.function()))
                : Map.of();
    return search.ids(
        new SearchService.Request(
            request.q(),
            concepts,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            "1",
            Integer.toString(CANDIDATE_SOFTWARE)));
  }

  private Constraints constraints(ResolveRequest.ConstraintsDocument doc, Capabilities resource) {
    if (doc == null) {
      return Constraints.NONE;
    }
    List<String> runtimes = new ArrayList<>();
    List<String> asked = doc.runtimes() == null ? List.of() : doc.runtimes();
    for (int i = 0; i < asked.size(); i++) {
      runtimes.add(
          resources.canonical("runtimes", "constraints.runtimes[" + i + "]", asked.get(i)));
    }
    if (!runtimes.isEmpty() && runtimes.stream().noneMatch(resource.runtimes()::contains)) {
      throw ProblemException.invalid(
          "constraints.runtimes",
          "none of " + runtimes + " is available on the resource (" + resource.runtimes() + ")");
    }
    List<String> kinds = doc.kinds() == null ? List.of() : doc.kinds();
    for (String kind : kinds) {
      if (ArtifactKind.parse(kind).isEmpty()) {
        throw ProblemException.invalid("constraints.kinds", "unknown kind " + kind);
      }
    }
    if (!kinds.isEmpty() && kinds.stream().noneMatch(LaunchRules.LAUNCHABLE_KINDS::contains)) {
      throw ProblemException.invalid(
          "constraints.kinds", "none of " + kinds + " can be launched (oci-image, sif, cvmfs)");
    }
    List<String> licences = new ArrayList<>();
    List<String> named = doc.licences() == null ? List.of() : doc.licences();
    for (int i = 0; i < named.size(); i++) {
      String field = "constraints.licences[" + i + "]";
      licences.add(
          SpdxExpression.singleId(named.get(i))
              .orElseThrow(
                  () ->
                      ProblemException.invalid(
                          field, "must be one SPDX licence id or LicenseRef")));
    }
    return new Constraints(
        Boolean.TRUE.equals(doc.trustedOnly()), doc.facilities(), runtimes, kinds, licences);
  }

  /** An artifact's sharing class and conditions, as the access policy takes them. */
  private record ArtifactSharing(SharingClass sharingClass, SharingConditions conditions) {
    static ArtifactSharing of(LaunchCandidate c) {
      var sharing = c.artifact().sharing();
      return new ArtifactSharing(
          SharingClass.parse(sharing.sharingClass()).orElseThrow(),
          sharing.conditions() == null ? SharingConditions.NONE : sharing.conditions());
    }
  }
}
