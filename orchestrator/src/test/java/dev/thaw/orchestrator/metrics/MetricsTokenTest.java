package dev.thaw.orchestrator.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.thaw.orchestrator.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code thaw.metrics.token} set, {@code /q/metrics} asks for it: none, a wrong one or another
 * role's token is a JSON 401; the right one gets the metrics. Health stays open.
 */
@QuarkusTest
@TestProfile(MetricsTokenTest.WithMetricsToken.class)
class MetricsTokenTest {
  static final String TOKEN = "test-metrics-token";

  /** The test profile with a metrics token. */
  public static class WithMetricsToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("thaw.metrics.token", TOKEN);
    }
  }

  @Test
  void theMetricsAskForTheirToken() {
    given()
        .noFilters()
        .get("/q/metrics")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"))
        .body("error", equalTo("unauthorized"))
        .body("message", containsString("THAW_METRICS_TOKEN"));
    for (String wrong : new String[] {TestTokens.API, TestTokens.WORKER, TOKEN + "x"}) {
      given()
          .noFilters()
          .header("Authorization", "Bearer " + wrong)
          .get("/q/metrics")
          .then()
          .statusCode(401);
    }
    given()
        .noFilters()
        .header("Authorization", "Bearer " + TOKEN)
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("thaw_leases_granted_total"))
        .body(containsString("thaw_workers_connected"));
    given().noFilters().get("/q/health/live").then().statusCode(200);
  }
}
