package dev.thaw.orchestrator.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.thaw.orchestrator.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may call what: the API token, the worker token, and neither. */
@QuarkusTest
class BearerAuthTest {
  private static final String LEASE_BODY =
      "{\"worker_id\": \"auth-test\", \"host\": \"h\", \"device\": \"cpu()\"}";

  /** A request without the test profile's automatic token. */
  private static RequestSpecification bare() {
    return given().noFilters();
  }

  private static RequestSpecification with(String token) {
    return bare().header("Authorization", "Bearer " + token);
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /api/v1/sweeps",
    "GET, /api/v1/sweeps/no-such-sweep",
    "POST, /api/v1/sweeps/no-such-sweep/cancel",
    "GET, /api/v1/schedules",
    "POST, /api/v1/schedules/no-such/trigger",
    "POST, /api/v1/leases",
    "POST, /api/v1/leases/no-such-lease/heartbeat",
    "POST, /api/v1/leases/no-such-lease/complete"
  })
  void withoutATokenEveryCallIs401WithAChallengeAndAJsonError(String method, String path) {
    bare()
        .contentType(ContentType.JSON)
        .body("{}")
        .request(method, path)
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", startsWith("Bearer"))
        .contentType(ContentType.JSON)
        .body("error", equalTo("unauthorized"))
        .body("message", containsString("Authorization: Bearer"));
  }

  @Test
  void anUnknownTokenIs401() {
    with("not-a-token")
        .get("/api/v1/sweeps")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("invalid_token"))
        .body("error", equalTo("unauthorized"));
  }

  @Test
  void anotherSchemeIs401() {
    bare()
        .header("Authorization", "Basic " + TestTokens.API)
        .get("/api/v1/sweeps")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("invalid_request"));
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /api/v1/sweeps",
    "POST, /api/v1/sweeps/no-such-sweep/cancel",
    "GET, /api/v1/schedules"
  })
  void theWorkerTokenCannotCallTheUserApi(String method, String path) {
    with(TestTokens.WORKER)
        .request(method, path)
        .then()
        .statusCode(403)
        .contentType(ContentType.JSON)
        .body("error", equalTo("forbidden"))
        .body("message", containsString("THAW_API_TOKEN"));
  }

  @Test
  void theApiTokenCannotLease() {
    with(TestTokens.API)
        .contentType(ContentType.JSON)
        .body(LEASE_BODY)
        .post("/api/v1/leases")
        .then()
        .statusCode(403)
        .body("error", equalTo("forbidden"))
        .body("message", containsString("THAW_WORKER_TOKEN"));
  }

  @Test
  void theRightTokensAreLetIn() {
    with(TestTokens.API).get("/api/v1/sweeps").then().statusCode(200);
    with(TestTokens.API).get("/api/v1/schedules").then().statusCode(200);
    with(TestTokens.API).get("/api/v1/sweeps/no-such-sweep").then().statusCode(404);
    with("  " + TestTokens.WORKER + " ")
        .contentType(ContentType.JSON)
        .body("{\"action\": \"x\"}")
        .post("/api/v1/leases/no-such-lease/heartbeat")
        .then()
        .statusCode(409); // past authentication: the lease is unknown
  }

  @Test
  void infoHealthAndOpenApiNeedNoToken() {
    bare().get("/api/v1/info").then().statusCode(200).body("api_version", equalTo("v1"));
    bare().get("/q/health/ready").then().statusCode(200);
    bare().get("/q/openapi").then().statusCode(200);
    with("not-a-token").get("/api/v1/info").then().statusCode(200);
  }

  @Test
  void theOpenApiDocumentNamesTheTokenOfEachCall() {
    bare()
        .accept(ContentType.JSON)
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body("components.securitySchemes.api_token.scheme", equalTo("bearer"))
        .body("components.securitySchemes.worker_token.scheme", equalTo("bearer"))
        .body("paths.'/api/v1/sweeps'.get.security[0]", hasKey("api_token"))
        .body("paths.'/api/v1/leases'.post.security[0]", hasKey("worker_token"))
        .body("paths.'/api/v1/info'.get", not(hasKey("security")));
  }
}
