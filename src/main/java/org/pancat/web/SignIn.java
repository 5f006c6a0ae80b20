package org.pancat.web;

import io.quarkus.oidc.OidcConfigurationMetadata;
import io.quarkus.oidc.OidcSession;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.pancat.access.DevSignIn;
import org.pancat.access.LicenceService;
import org.pancat.access.Principal;
import org.pancat.access.WebPage;
import org.pancat.problem.DomainFailure;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/**
 * Signing in and out, and the one form that changes the catalogue's state for a reader: accepting a
 * licence. Every form is checked by {@link FormGuard} before anything else happens.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@WebPage
public class SignIn {
  /** A local path to come back to: no scheme, no host, no backslash, nothing unprintable. */
  private static final Pattern LOCAL_PATH = Pattern.compile("/(?![/\\\\])[\\x21-\\x7e]{0,2000}");

  private final PageContext page;
  private final FormGuard guard;
  private final SignInProviders providers;
  private final DevSignIn devSignIn;
  private final LicenceService licences;
  private final HttpServerRequest request;
  private final Instance<SecurityIdentity> identity;
  private final Instance<OidcSession> session;
  private final Instance<OidcConfigurationMetadata> metadata;
  private final Template signIn;
  private final Html html;

  SignIn(
      PageContext page,
      FormGuard guard,
      SignInProviders providers,
      DevSignIn devSignIn,
      LicenceService licences,
      HttpServerRequest request,
      Instance<SecurityIdentity> identity,
      Instance<OidcSession> session,
      Instance<OidcConfigurationMetadata> metadata,
      @Location("signin.html") Template signIn,
      Html html) {
    this.page = page;
    this.guard = guard;
    this.providers = providers;
    this.devSignIn = devSignIn;
    this.licences = licences;
    this.request = request;
    this.identity = identity;
    this.session = session;
    this.metadata = metadata;
    this.signIn = signIn;
    this.html = html;
  }

  @GET
  @Path("signin")
  public Response signInPage(@QueryParam("next") String next) {
    return html.page(
        signIn
            .data("next", local(next).toString())
            .data("devSignIn", devSignIn.enabled() && servesDevSignIn()),
        200);
  }

  /**
   * Starts the provider's code flow (Quarkus OIDC answers the challenge with the redirect to the
   * provider) and, once signed in, goes back to {@code next}.
   */
  @GET
  @Path("signin/{provider}")
  public Response signInWith(
      @PathParam("provider") String provider, @QueryParam("next") String next) {
    if (!providers.has(provider)) {
      throw ProblemException.notFound("there is no sign-in provider " + provider);
    }
    if (identity.get().isAnonymous()) {
      throw new UnauthorizedException();
    }
    if (page.principal().isAnonymous()) {
      // the provider vouched for someone this node cannot map (no subject, or an unknown issuer)
      throw new ProblemException(
          ProblemType.UNAUTHORIZED, "the provider's sign-in could not be used by this node");
    }
    return Response.seeOther(local(next)).build();
  }

  @POST
  @Path("signin/dev")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response devSignIn(
      @FormParam("subject") String subject,
      @FormParam("facility") String facility,
      @FormParam("roles") List<String> roles,
      @FormParam("groups") String groups,
      @FormParam("code") String code,
      @FormParam("next") String next,
      @BeanParam FormGuard.Submission form,
      @Context UriInfo uri) {
    if (!devSignIn.enabled() || !servesDevSignIn()) {
      throw ProblemException.notFound("there is no development sign-in on this node");
    }
    guard.check(form, page.principal(), uri.getRequestUri());
    if (!devSignIn.isCode(code)) {
      throw ProblemException.forbidden(
          "that is not this start's sign-in code (the node writes it to "
              + DevSignIn.CODE_FILE
              + " in its dev issuer key directory)");
    }
    String session =
        devSignIn.session(
            subject,
            facility,
            roles,
            groups == null ? List.of() : List.of(groups.strip().split("[\\s,]+")));
    return Response.seeOther(local(next)).header("Set-Cookie", devSignIn.cookie(session)).build();
  }

  /**
   * Ends this node's session; after a provider's session, goes on to the provider's end-session
   * endpoint so that signing in again asks for the password again.
   */
  @POST
  @Path("signout")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response signOut(@BeanParam FormGuard.Submission form, @Context UriInfo uri) {
    guard.check(form, page.principal(), uri.getRequestUri());
    URI after = URI.create("/");
    SecurityIdentity signedIn = identity.get();
    if (!signedIn.isAnonymous() && session.isResolvable()) {
      OidcSession current = session.get();
      String idToken = current.getIdToken() == null ? null : current.getIdToken().getRawToken();
      String endSession = metadata.isResolvable() ? metadata.get().getEndSessionUri() : null;
      current.logout().await().indefinitely();
      if (endSession != null && idToken != null) {
        after =
            UriBuilder.fromUri(endSession)
                .queryParam("id_token_hint", idToken)
                .queryParam("post_logout_redirect_uri", uri.getBaseUriBuilder().path("/").build())
                .build();
      }
    }
    return Response.seeOther(after).header("Set-Cookie", devSignIn.cookie(null)).build();
  }

  @POST
  @Path("licences/{id}/accept")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response accept(
      @PathParam("id") String id,
      @FormParam("version") String version,
      @FormParam("next") String next,
      @BeanParam FormGuard.Submission form,
      @Context UriInfo uri) {
    Principal principal = page.principal();
    guard.check(form, principal, uri.getRequestUri());
    URI back = local(next);
    licences.accept(id, version == null || version.isBlank() ? null : version, principal);
    return Response.seeOther(back).build();
  }

  /** The development sign-in answers only this machine's own browser, not through a proxy. */
  private boolean servesDevSignIn() {
    return devSignIn.servesRequestFrom(
        request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
        request.getHeader("Host"),
        request.headers().names());
  }

  /** {@code next} when it is a path on this node that parses as a URI, else the search page. */
  private static URI local(String next) {
    URI home = URI.create("/");
    if (next == null || !LOCAL_PATH.matcher(next).matches()) {
      return home;
    }
    try {
      URI parsed = new URI(next);
      return parsed.getScheme() == null && parsed.getRawAuthority() == null ? parsed : home;
    } catch (java.net.URISyntaxException e) {
      return home;
    }
  }

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    return html.error(e);
  }

  @ServerExceptionMapper
  public Response failure(DomainFailure e) {
    return problem(e.problem());
  }
}
