package dev.thaw.orchestrator.sweeps;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.orchestrator.TestSweeps;
import dev.thaw.orchestrator.store.SweepRepository;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep API over HTTP, as the CLI and the dashboard use it. */
@QuarkusTest
class SweepResourceTest {
  @Inject SweepService sweeps;
  @Inject SweepRepository sweepRepo;

  @BeforeEach
  @AfterEach
  void noOtherSweepRuns() {
    TestSweeps.cancelAll(sweepRepo, sweeps);
  }

  private static String submit(String yaml) {
    return given()
        .contentType("application/yaml")
        .body(yaml.getBytes(StandardCharsets.UTF_8))
        .when()
        .post("/api/v1/sweeps")
        .then()
        .statusCode(201)
        .header("Location", containsString("/api/v1/sweeps/"))
        .body("state", equalTo("running"))
        .extract()
        .path("id");
  }

  @Test
  void aSubmittedSweepIsListedWithItsQueuedTrials() {
    String id = submit(TestSweeps.grid("api-listed", 2, 1, ""));
    given()
        .get("/api/v1/sweeps/" + id)
        .then()
        .statusCode(200)
        .body("sweep.name", equalTo("api-listed"))
        .body("sweep.method", equalTo("grid"))
        .body("sweep.max_trials", equalTo(8))
        .body("sweep.counts.queued", equalTo(8))
        .body("sweep.objective.metric", equalTo("val_accuracy"))
        .body("sweep.objective.goal", equalTo("maximize"))
        .body("trials", hasSize(8))
        .body("trials[0].number", equalTo(0))
        .body("trials[0].state", equalTo("queued"))
        .body("trials[0].params.epochs", equalTo(3));
    given().get("/api/v1/sweeps").then().statusCode(200).body("id", hasItem(id));
  }

  @Test
  void theLivePagesReadsAreBoundedAndAnUntrackedTrialHasNoMlflowRun() {
    String id = submit(TestSweeps.grid("api-curves", 2, 1, ""));
    given()
        .get("/api/v1/sweeps/" + id + "/curves?limit=3")
        .then()
        .statusCode(200)
        .body("number", equalTo(List.of(5, 6, 7)))
        .body("state", hasItem("queued"))
        .body("[0].epochs", hasSize(0));
    given()
        .get("/api/v1/sweeps/" + id + "/curves?limit=501")
        .then()
        .statusCode(400)
        .body("message", equalTo("limit: must be at most 500 (got 501)"));
    given()
        .get("/api/v1/sweeps/" + id + "/trials/0/mlflow")
        .then()
        .statusCode(404)
        .body("message", containsString("trial #0 has no MLflow run"));
    given()
        .get("/api/v1/sweeps/" + id + "/trials/99/mlflow")
        .then()
        .statusCode(404)
        .body("message", containsString("has no trial #99"));
    given()
        .get("/api/v1/sweeps/" + id + "/trials/x/mlflow")
        .then()
        .statusCode(400)
        .body("message", containsString("number: must be a trial number"));
    given().noFilters().get("/api/v1/sweeps/" + id + "/curves").then().statusCode(401);
  }

  @Test
  void anInvalidFileIs400WithEveryErrorAndNothingIsStored() {
    int before = given().get("/api/v1/sweeps").then().extract().path("size()");
    String bad =
        TestSweeps.grid("api-bad", 2, 1, "")
            .replace("metric: val_accuracy", "metric: val_acuracy")
            .replace("freeze_depth: {values: [0, 1, 2, 3]}", "freeze_depth: {values: [0, 9]}");
    given()
        .contentType("application/yaml")
        .queryParam("origin", "bad.yaml")
        .body(bad.getBytes(StandardCharsets.UTF_8))
        .when()
        .post("/api/v1/sweeps")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_sweep"))
        .body("message", startsWith("invalid sweep file bad.yaml (2 errors)"))
        .body("details", hasSize(2))
        .body("details[0]", containsString("objective.metric: unknown metric 'val_acuracy'"))
        .body("details[1]", containsString("parameters.freeze_depth.values[1]"));
    int after = given().get("/api/v1/sweeps").then().extract().path("size()");
    assertEquals(before, after, "nothing stored");
  }

  @Test
  void dataAndModelsOutsideTheRootsAre400NamingTheFieldAndNothingIsStored() {
    int before = given().get("/api/v1/sweeps").then().extract().path("size()");
    String root = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().toString();
    for (String dataset : List.of("folder:/etc", "folder:/root/.ssh", "folder:../../")) {
      given()
          .contentType("application/yaml")
          .body(
              TestSweeps.grid("api-outside", 1, 0, "")
                  .replace("dataset: mnist", "dataset: \"" + dataset + "\"")
                  .getBytes(StandardCharsets.UTF_8))
          .post("/api/v1/sweeps")
          .then()
          .statusCode(400)
          .body("error", equalTo("invalid_sweep"))
          .body("details", hasSize(1))
          .body(
              "details[0]",
              startsWith(
                  "task.target.dataset: '"
                      + dataset
                      + "' is outside the data roots ("
                      + root
                      + "); relative paths are taken from "
                      + root));
    }
    String url = "http://127.0.0.1:18600/evil/model.zip";
    given()
        .contentType("application/yaml")
        .body(
            TestSweeps.grid("api-remote", 1, 0, "")
                .replace("scratch:thaw-cnn", url)
                .getBytes(StandardCharsets.UTF_8))
        .post("/api/v1/sweeps")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_sweep"))
        .body("message", containsString("(1 error)"))
        .body("details", hasSize(1))
        .body(
            "details[0]",
            startsWith("task.source_model: '" + url + "' is a remote model URL, and remote"))
        .body("details[0]", containsString("thaw.models.allow-remote=true"));
    given()
        .contentType("application/yaml")
        .body(
            TestSweeps.grid("api-model-path", 1, 0, "")
                .replace("scratch:thaw-cnn", "/etc")
                .getBytes(StandardCharsets.UTF_8))
        .post("/api/v1/sweeps")
        .then()
        .statusCode(400)
        .body("details[0]", startsWith("task.source_model: '/etc' is outside the model roots"));
    int after = given().get("/api/v1/sweeps").then().extract().path("size()");
    assertEquals(before, after, "nothing stored");
  }

  @Test
  void aDataFolderInsideTheRootsIsAccepted(@TempDir Path dir) {
    String id =
        submit(
            TestSweeps.grid("api-inside", 1, 0, "")
                .replace("dataset: mnist", "dataset: \"folder:" + dir.resolve("pets") + "\""));
    given()
        .get("/api/v1/sweeps/" + id)
        .then()
        .statusCode(200)
        .body("sweep.name", equalTo("api-inside"));
  }

  @Test
  void leaderboardRanksByTheObjectiveAndCancelStopsTheSweep() {
    String id = submit(TestSweeps.grid("api-board", 3, 1, ""));
    double[] accuracies = {0.5, 0.9, 0.7};
    for (double acc : accuracies) {
      Map<String, Object> lease =
          given()
              .contentType(ContentType.JSON)
              .body(Map.of("worker_id", "api-worker", "host", "h", "device", "cpu()"))
              .post("/api/v1/leases")
              .then()
              .statusCode(200)
              .extract()
              .path("$");
      String leaseId = (String) lease.get("lease_id");
      given()
          .contentType(ContentType.JSON)
          .body(
              Map.of(
                  "epochs",
                  List.of(
                      Map.of(
                          "epoch", 1,
                          "stage", "fine_tune",
                          "train_loss", 1.0,
                          "val_loss", 1.0,
                          "val_accuracy", acc,
                          "epoch_seconds", 0.1,
                          "samples_per_second", 100.0))))
          .post("/api/v1/leases/" + leaseId + "/heartbeat")
          .then()
          .statusCode(200)
          .body("action", equalTo("continue"));
    }
    given()
        .get("/api/v1/sweeps/" + id + "/leaderboard?limit=2")
        .then()
        .statusCode(200)
        .body("trials", hasSize(2))
        .body("trials[0].objective", equalTo(0.9f))
        .body("trials[1].objective", equalTo(0.7f));
    given()
        .post("/api/v1/sweeps/" + id + "/cancel")
        .then()
        .statusCode(200)
        .body("state", equalTo("cancelled"))
        .body("counts.queued", equalTo(0))
        .body("counts.cancelled", equalTo(5))
        .body("stop_reason", equalTo("cancelled by a user"));
  }

  @Test
  void aLostLeaseIs409AndAnUnknownSweepIs404() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("epochs", List.of()))
        .post("/api/v1/leases/no-such-lease/heartbeat")
        .then()
        .statusCode(409)
        .body("error", equalTo("lease_lost"))
        .body("message", containsString("no-such-lease"));
    given().get("/api/v1/sweeps/nope").then().statusCode(404).body("error", equalTo("not_found"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("host", "h"))
        .post("/api/v1/leases")
        .then()
        .statusCode(400)
        .body("message", containsString("worker_id"));
  }

  @Test
  void everyRefusalIsAJsonErrorNamingTheProblem() {
    given()
        .contentType(ContentType.TEXT)
        .body("{}")
        .post("/api/v1/leases")
        .then()
        .statusCode(415)
        .body("error", equalTo("unsupported_media_type"))
        .body("message", containsString("text/plain"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"worker_id\": \"w\", ")
        .post("/api/v1/leases")
        .then()
        .statusCode(400)
        .body("error", equalTo("malformed_json"))
        .body("message", containsString("line 1"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"reason\": [1, 2]}")
        .post("/api/v1/leases/some-lease/fail")
        .then()
        .statusCode(400)
        .body("error", equalTo("malformed_json"))
        .body("message", containsString("reason"));
    given()
        .get("/api/v1/sweeps/any/leaderboard?limit=abc")
        .then()
        .statusCode(400)
        .body("error", equalTo("bad_request"))
        .body("message", containsString("limit: must be a whole number >= 1 (got 'abc')"));
    given()
        .delete("/api/v1/sweeps")
        .then()
        .statusCode(405)
        .body("error", equalTo("method_not_allowed"));
  }

  @Test
  void aBodyOverTheLimitIsRefusedAtOnceAsJson() {
    String tenMegabytes = "#".repeat(10 * 1024 * 1024);
    io.restassured.response.Response reply =
        given()
            .contentType("application/yaml")
            .body(tenMegabytes.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .post("/api/v1/sweeps");
    assertEquals(413, reply.statusCode(), reply.asString());
    assertEquals("payload_too_large", reply.jsonPath().getString("error"));
    assertTrue(reply.jsonPath().getString("message").contains("1048576 bytes"), reply.asString());
  }

  @Test
  void aBodyOverTheLimitIsRefusedBeforeItIsSent() throws Exception {
    // Only the headers go out: the answer must come without the server waiting for the body.
    try (java.net.Socket socket =
        new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
      socket.setSoTimeout(5_000);
      long start = System.nanoTime();
      socket
          .getOutputStream()
          .write(
              ("POST /api/v1/sweeps HTTP/1.1\r\nHost: localhost\r\n"
                      + "Content-Type: application/yaml\r\nContent-Length: 10485760\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      // Read the answer up to the end of its JSON body (the server may wait for the rest).
      StringBuilder read = new StringBuilder();
      java.io.InputStream in = socket.getInputStream();
      for (int c = in.read(); c >= 0; c = in.read()) {
        read.append((char) c);
        if (read.indexOf("\r\n\r\n") > 0 && c == '}') {
          break;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      String answer = read.toString();
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(answer.contains("\"error\":\"payload_too_large\""), answer);
      assertTrue(seconds < 1.0, "refusing took " + seconds + " s");
    }
  }

  @Test
  void aSweepNamingAnMlflowServerNotAllowedIsRefused() {
    // The test profile tracks nowhere and allows no server: any server a file names is refused,
    // a scheduled file's too.
    for (String extra :
        List.of(
            "mlflow: {tracking_uri: \"http://127.0.0.1:18600/\"}",
            "mlflow: {tracking_uri: \"http://127.0.0.1:18600/\"}\nschedule: {cron: \"0 0 2 * * ?\"}")) {
      given()
          .contentType("application/yaml")
          .queryParam("origin", "evil.yaml")
          .body(TestSweeps.grid("api-evil", 1, 0, extra).getBytes(StandardCharsets.UTF_8))
          .post("/api/v1/sweeps")
          .then()
          .statusCode(400)
          .body("error", equalTo("invalid_sweep"))
          .body("details", hasSize(1))
          .body(
              "details[0]",
              containsString(
                  "mlflow.tracking_uri: 'http://127.0.0.1:18600/' is not an MLflow server this"
                      + " orchestrator tracks to (none is allowed;"));
    }
  }
}
