package dev.thaw.orchestrator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InfoResourceTest {

  /** The Maven project version, passed in by surefire; the build must report exactly this. */
  private static final String PROJECT_VERSION = System.getProperty("thaw.project.version");

  @Test
  void infoReportsNameVersionAndApiVersion() {
    assertNotNull(PROJECT_VERSION, "surefire must set thaw.project.version");
    given()
        .when()
        .get("/api/v1/info")
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .body("name", equalTo("thaw-orchestrator"))
        .body("version", equalTo(PROJECT_VERSION))
        .body("api_version", equalTo("v1"))
        .body("$", not(hasKey("apiVersion")));
  }

  @Test
  void theLivePageIsServedWithoutATokenAndUiRedirectsToIt() {
    given()
        .noFilters()
        .get("/ui/")
        .then()
        .statusCode(200)
        .contentType(ContentType.HTML)
        .body(org.hamcrest.Matchers.containsString("Thaw: live sweeps"));
    given().noFilters().get("/ui/charts.js").then().statusCode(200);
    given()
        .noFilters()
        .redirects()
        .follow(false)
        .get("/ui")
        .then()
        .statusCode(301)
        .header("Location", "/ui/");
  }

  @Test
  void readinessIsUp() {
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void openApiDocumentListsInfoEndpoint() {
    given()
        .accept(ContentType.JSON)
        .queryParam("format", "json")
        .when()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths", hasKey("/api/v1/info"))
        .body(
            "paths.'/api/v1/info'.get.responses.'200'.description",
            equalTo("The service identity"));
  }
}
