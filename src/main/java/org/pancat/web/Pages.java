package org.pancat.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.pancat.access.AccessPolicy;
import org.pancat.access.LicenceService;
import org.pancat.access.Principal;
import org.pancat.access.WebPage;
import org.pancat.catalogue.CatalogueQueries;
import org.pancat.catalogue.Views;
import org.pancat.federation.PeerStatusBoard;
import org.pancat.harvest.HarvestSources;
import org.pancat.kernel.Paging;
import org.pancat.problem.DomainFailure;
import org.pancat.problem.ProblemException;
import org.pancat.resolve.ComputeResources;
import org.pancat.resolve.ResolveRequest;
import org.pancat.resolve.ResolveResult;
import org.pancat.resolve.Resolver;
import org.pancat.vocab.Concept;
import org.pancat.vocab.Vocabulary;
import org.pancat.vocab.VocabularySnapshot;

/**
 * The pages people read: search, software, launch preview, concepts and the operator's overview.
 * Each is built from the same services as the API, with the caller's principal, so the access
 * decisions are the API's: a page never holds a reference its reader may not have.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@WebPage
public class Pages {
  private static final int MOST_RELEASES = 50;

  private final PageContext page;
  private final SearchPage searchPage;
  private final CatalogueQueries catalogue;
  private final LicenceService licences;
  private final ComputeResources resources;
  private final Resolver resolver;
  private final Vocabulary vocabulary;
  private final AccessPolicy policy;
  private final PeerStatusBoard peers;
  private final HarvestSources harvests;
  private final Template search;
  private final Template software;
  private final Template launch;
  private final Template concept;
  private final Template operator;
  private final Html html;

  Pages(
      PageContext page,
      SearchPage searchPage,
      CatalogueQueries catalogue,
      LicenceService licences,
      ComputeResources resources,
      Resolver resolver,
      Vocabulary vocabulary,
      AccessPolicy policy,
      PeerStatusBoard peers,
      HarvestSources harvests,
      @Location("search.html") Template search,
      @Location("software.html") Template software,
      @Location("launch.html") Template launch,
      @Location("concept.html") Template concept,
      @Location("operator.html") Template operator,
      Html html) {
    this.page = page;
    this.searchPage = searchPage;
    this.catalogue = catalogue;
    this.licences = licences;
    this.resources = resources;
    this.resolver = resolver;
    this.vocabulary = vocabulary;
    this.policy = policy;
    this.peers = peers;
    this.harvests = harvests;
    this.search = search;
    this.software = software;
    this.launch = launch;
    this.concept = concept;
    this.operator = operator;
    this.html = html;
  }

  @GET
  public Response search(@Context UriInfo uri) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    uri.getQueryParameters().forEach((k, v) -> params.put(k, new ArrayList<>(v)));
    SearchState state = new SearchState(params);
    return render(search.data("view", searchPage.view(state)), 200);
  }

  @GET
  @Path("software/{facility}/{slug}")
  public Response software(@PathParam("facility") String facility, @PathParam("slug") String slug) {
    return render(software.data("view", softwareView(facility, slug)), 200);
  }

  @GET
  @Path("software/{facility}/{slug}/launch")
  public Response launch(
      @PathParam("facility") String facility,
      @PathParam("slug") String slug,
      @QueryParam("resource") String resource) {
    Views.SoftwareView sw = catalogue.software(facility, slug);
    List<ComputeResources.ResourceView> all = resources.list();
    ResolveResult result = null;
    if (resource != null && !resource.isBlank()) {
      result =
          resolver.resolve(
              new ResolveRequest(facility + "/" + slug, null, null, null, resource, null, null, 50),
              page.principal());
    }
    return render(
        launch.data("view", new LaunchView(sw, all, resource, result, page.principal())), 200);
  }

  @GET
  @Path("concepts")
  public Response concept(@QueryParam("iri") String iri) {
    VocabularySnapshot vocab = vocabulary.snapshot();
    Concept c =
        Optional.ofNullable(iri)
            .flatMap(vocab::concept)
            .orElseThrow(() -> ProblemException.notFound("there is no such concept"));
    List<Concept> broader = c.broader().stream().flatMap(b -> vocab.concept(b).stream()).toList();
    List<Concept> narrower =
        vocab.narrower(c.iri()).stream().flatMap(n -> vocab.concept(n).stream()).toList();
    String parameter =
        switch (c.scheme()) {
          case "techniques" -> "technique";
          case "functions" -> "function";
          case "formats" -> "format";
          default -> null;
        };
    SearchState tagged =
        parameter == null ? null : new SearchState(Map.of(parameter, List.of(c.iri())));
    SearchPage.View found = tagged == null ? null : searchPage.view(tagged);
    String searchLink = tagged == null ? null : tagged.link();
    return render(
        concept.data("view", new ConceptView(c, broader, narrower, found, searchLink)), 200);
  }

  @GET
  @Path("operator")
  public Response operator() {
    Principal principal = page.principal();
    policy.requireAdmin(principal);
    return render(
        operator.data(
            "view",
            new OperatorView(
                peers.statuses(),
                harvests.list(principal, new Paging(1, Paging.MAX_SIZE)).items())),
        200);
  }

  private SoftwareView softwareView(String facility, String slug) {
    Principal principal = page.principal();
    Views.SoftwareView sw = catalogue.software(facility, slug);
    VocabularySnapshot vocab = vocabulary.snapshot();
    org.pancat.kernel.Page<Views.ReleaseView> newest =
        catalogue.releases(facility, slug, principal, 1, MOST_RELEASES);
    List<Views.ReleaseView> releases = newest.items();
    Map<String, LicenceService.LicenceView> terms = new LinkedHashMap<>();
    for (Views.ReleaseView r : releases) {
      for (Views.ArtifactView a : r.artifacts()) {
        if (a.sharing() != null
            && a.sharing().conditions() != null
            && a.sharing().conditions().licence() != null) {
          String id = a.sharing().conditions().licence().id();
          if (!terms.containsKey(id)) {
            try {
              terms.put(id, licences.get(id));
            } catch (ProblemException unknownHere) {
              // a condition naming a licence this node lacks: the page says it cannot be met
            }
          }
        }
      }
    }
    Map<String, Views.ArtifactView> byId = new LinkedHashMap<>();
    releases.forEach(r -> r.artifacts().forEach(a -> byId.put(a.id(), a)));
    List<ReleaseCard> cards =
        releases.stream()
            .map(
                r ->
                    new ReleaseCard(
                        r,
                        r.artifacts().stream().map(a -> ArtifactCard.of(a, terms, byId)).toList()))
            .toList();
    return new SoftwareView(
        sw,
        concepts(vocab, sw.software().techniques()),
        concepts(vocab, sw.software().functions()),
        concepts(vocab, sw.software().inputFormats()),
        concepts(vocab, sw.software().outputFormats()),
        cards,
        newest.total() > MOST_RELEASES);
  }

  private static List<Concept> concepts(VocabularySnapshot vocab, List<String> iris) {
    return iris == null
        ? List.of()
        : iris.stream().flatMap(i -> vocab.concept(i).stream()).toList();
  }

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    return errorPage(e);
  }

  @ServerExceptionMapper
  public Response failure(DomainFailure e) {
    return errorPage(e.problem());
  }

  private Response errorPage(ProblemException e) {
    return html.error(e);
  }

  private Response render(TemplateInstance template, int status) {
    return html.page(template, status);
  }

  /** The software page. */
  public record SoftwareView(
      Views.SoftwareView software,
      List<Concept> techniques,
      List<Concept> functions,
      List<Concept> inputFormats,
      List<Concept> outputFormats,
      List<ReleaseCard> releases,
      boolean moreReleases) {}

  public record ReleaseCard(Views.ReleaseView release, List<ArtifactCard> artifacts) {}

  /**
   * An artifact as its card shows it: the reference pinned by digest (as resolve pins it) when the
   * reader may have it, the licence to accept when that is what stands in the way, and what it was
   * derived from.
   */
  public record ArtifactCard(
      Views.ArtifactView artifact,
      String pinned,
      String shortDigest,
      LicenceService.LicenceView licence,
      String derivedFromLabel) {
    static ArtifactCard of(
        Views.ArtifactView a,
        Map<String, LicenceService.LicenceView> terms,
        Map<String, Views.ArtifactView> byId) {
      String pinned =
          a.reference() == null
              ? null
              : a.kind().equals("oci-image") && a.digest() != null && !a.reference().contains("@")
                  ? a.reference() + "@" + a.digest()
                  : a.reference();
      String shortDigest =
          a.digest() == null ? null : a.digest().substring(0, Math.min(a.digest().length(), 19));
      LicenceService.LicenceView licence =
          a.access() == null || a.access().how().get("acceptLicence") == null
              ? null
              : terms.get(a.sharing().conditions().licence().id());
      String derivedFrom =
          a.derivedFrom() == null
              ? null
              : Optional.ofNullable(byId.get(a.derivedFrom()))
                  .map(o -> o.kind() + " of " + o.version())
                  .orElse("another artifact");
      return new ArtifactCard(a, pinned, shortDigest, licence, derivedFrom);
    }
  }

  /** The launch preview: the resources to pick from and, once one is picked, resolve's answer. */
  public record LaunchView(
      Views.SoftwareView software,
      List<ComputeResources.ResourceView> resources,
      String resource,
      ResolveResult result,
      Principal principal) {}

  public record ConceptView(
      Concept concept,
      List<Concept> broader,
      List<Concept> narrower,
      SearchPage.View software,
      String searchLink) {}

  public record OperatorView(
      List<org.pancat.federation.PeerStatus> peers, List<HarvestSources.SourceView> sources) {}
}
