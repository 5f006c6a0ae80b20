package org.pancat.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;
import io.quarkus.test.junit.callback.QuarkusTestBeforeClassCallback;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Checks every response an HTTP test receives against the committed {@code openapi/openapi.yaml}: a
 * status, content type or body the document does not declare fails the test that got it. So the
 * contract that clients are generated from is checked on every request the suite makes, not hoped
 * for.
 *
 * <p>Installed for every test class, without an annotation: as a Quarkus test callback for
 * {@code @QuarkusTest} classes (which run in Quarkus' class loader, with their own REST Assured)
 * and as an auto-detected JUnit extension for the process tests. Requests are not checked: the
 * suite sends hostile requests on purpose, and the node's answers to them are what must hold.
 */
public final class ContractCheck
    implements Filter, QuarkusTestBeforeClassCallback, BeforeAllCallback {
  private static final Path DOCUMENT = Path.of("openapi/openapi.yaml");
  private static volatile OpenApiInteractionValidator validator;

  @Override
  public void beforeClass(Class<?> testClass) {
    install();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    install();
  }

  private static synchronized void install() {
    if (RestAssured.filters().stream().noneMatch(ContractCheck.class::isInstance)) {
      RestAssured.filters(new ContractCheck());
    }
  }

  @Override
  public Response filter(
      FilterableRequestSpecification request,
      FilterableResponseSpecification responseSpec,
      FilterContext context) {
    Response response = context.next(request, responseSpec);
    String path = documentedPath(request.getURI());
    if (path != null) {
      ValidationReport report =
          report(
              path,
              Request.Method.valueOf(request.getMethod().toUpperCase()),
              RestAssuredResponse.of(response));
      if (report.hasErrors()) {
        throw new AssertionError(
            request.getMethod()
                + " "
                + path
                + " answered "
                + response.statusCode()
                + " outside openapi/openapi.yaml:\n"
                + SimpleValidationReportFormat.getInstance().apply(report));
      }
    }
    return response;
  }

  /**
   * What the document says of {@code response} to {@code method path}: empty when it declares it.
   */
  public static ValidationReport report(
      String path, Request.Method method, com.atlassian.oai.validator.model.Response response) {
    return validator().validateResponse(path, method, response);
  }

  /** The request's path when the document covers it; Quarkus' own endpoints under /q are not. */
  private static String documentedPath(String uri) {
    String path;
    try {
      path = URI.create(uri).getPath();
    } catch (IllegalArgumentException malformedOnPurpose) {
      return null;
    }
    return path == null || path.startsWith("/q/") ? null : path;
  }

  private static OpenApiInteractionValidator validator() {
    if (validator == null) {
      synchronized (ContractCheck.class) {
        if (validator == null) {
          validator =
              OpenApiInteractionValidator.createFor(DOCUMENT.toAbsolutePath().toUri().toString())
                  .withLevelResolver(
                      LevelResolver.create()
                          .withLevel("validation.request", ValidationReport.Level.IGNORE)
                          .build())
                  .build();
        }
      }
    }
    return validator;
  }
}
