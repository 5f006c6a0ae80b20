package org.pancat.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.pancat.problem.ProblemException;

/** Renders pages and error pages, each with its {@link PageContext}. */
@RequestScoped
public class Html {
  private final PageContext page;
  private final Template error;

  Html(PageContext page, @Location("error.html") Template error) {
    this.page = page;
    this.error = error;
  }

  /**
   * Rendered here, not by a response handler, so that the page's form key is known before {@link
   * PageHeaders} runs.
   */
  Response page(TemplateInstance template, int status) {
    return Response.status(status)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(template.data("page", page).render())
        .build();
  }

  /** A problem as a page: its title, status and detail, which are safe to show. */
  Response error(ProblemException e) {
    return page(
        error.data(
            "problem",
            new ErrorView(e.type().status(), e.type().title(), e.getMessage(), e.type().uri())),
        e.type().status());
  }

  public record ErrorView(int status, String title, String detail, String type) {}
}
