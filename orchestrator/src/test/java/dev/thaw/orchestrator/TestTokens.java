package dev.thaw.orchestrator;

import dev.thaw.auth.ClientToken;
import dev.thaw.auth.TokenRole;
import dev.thaw.worker.HttpTrialSource;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.net.URL;
import java.util.Optional;

/**
 * The tokens of the test profile ({@code %test.thaw.auth.*} in application.properties), and how
 * tests send them: every RestAssured request of a {@code @QuarkusTest} that sets no {@code
 * Authorization} header gets the token its path needs (the worker token under {@code
 * /api/v1/leases}, else the API token), installed before each test by this callback (registered in
 * META-INF/services). A test of a request without a token uses {@code given().noFilters()}.
 */
public final class TestTokens implements QuarkusTestBeforeEachCallback {
  public static final String API = "test-api-token";
  public static final String WORKER = "test-worker-token";

  /** A worker over HTTP with the test worker token. */
  public static HttpTrialSource workerSource(URL orchestrator) {
    return new HttpTrialSource(
        HttpTrialSource.parseBaseUrl(orchestrator.toString()),
        HttpTrialSource.Settings.defaults(),
        Optional.of(new ClientToken(WORKER, "the test profile")));
  }

  @Override
  public void beforeEach(QuarkusTestMethodContext context) {
    RestAssured.replaceFiltersWith(new ByPath());
  }

  /** Adds the token the request's path needs, unless the request has its own header. */
  static final class ByPath implements Filter {
    @Override
    public Response filter(
        FilterableRequestSpecification request,
        FilterableResponseSpecification response,
        FilterContext context) {
      if (!request.getHeaders().hasHeaderWithName("Authorization")) {
        String path = URI.create(request.getURI()).getPath();
        TokenRole role = path.startsWith("/api/v1/leases") ? TokenRole.WORKER : TokenRole.API;
        request.header("Authorization", "Bearer " + (role == TokenRole.WORKER ? WORKER : API));
      }
      return context.next(request, response);
    }
  }
}
