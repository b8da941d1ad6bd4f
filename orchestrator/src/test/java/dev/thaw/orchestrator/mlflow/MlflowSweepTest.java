package dev.thaw.orchestrator.mlflow;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.api.SweepState;
import dev.thaw.orchestrator.TestSweeps;
import dev.thaw.orchestrator.TestTokens;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.train.Devices;
import dev.thaw.worker.TrialOutcome;
import dev.thaw.worker.WorkerAgent;
import dev.thaw.worker.WorkerSummary;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny real sweep, run by a worker over HTTP, lands in the real MLflow server as one parent run
 * with one child run per trial attempt; read back with MLflow's own Python client.
 */
@QuarkusTest
@TestProfile(MlflowServer.class)
@EnabledIfEnvironmentVariable(named = MlflowServer.URI_ENV, matches = ".+")
class MlflowSweepTest {

  @TestHTTPResource("/")
  URL orchestrator;

  @Inject SweepService sweeps;
  @Inject SweepRepository sweepRepo;
  @Inject Trackers trackers;

  @Test
  void aSweepIsOneParentRunWithAChildRunPerTrialAttempt(@TempDir Path tmp) throws Exception {
    TestSweeps.cancelAll(sweepRepo, sweeps);
    String name = "mlflow-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    SweepRecord s = sweeps.submit(TestSweeps.tiny(name), "mlflow.yaml");
    SweepRecord done = runTwoTrials(s, "mlflow-test-worker", tmp);
    String uri = System.getenv(MlflowServer.URI_ENV);

    JsonNode runs = MlflowProcess.readBack(uri, name);
    assertEquals(3, runs.size(), runs.toString());
    List<JsonNode> parents = new ArrayList<>();
    List<JsonNode> children = new ArrayList<>();
    runs.forEach(r -> (r.get("tags").has("mlflow.parentRunId") ? children : parents).add(r));
    assertEquals(1, parents.size(), runs.toString());
    JsonNode parent = parents.get(0);
    assertEquals(done.mlflowParentRunId(), parent.get("id").asText(), "stored parent id");
    assertTrue(parent.get("name").asText().startsWith(name + " "), parent.get("name").asText());
    assertEquals("FINISHED", parent.get("status").asText());
    assertEquals(s.id(), parent.get("tags").get("thaw.sweep_id").asText());
    assertEquals("grid", parent.get("params").get("method").asText());
    assertEquals("none", parent.get("params").get("early_termination").asText());
    assertEquals(2, parent.get("metrics").get("best_objective").size(), parent.toString());
    assertTrue(parent.get("artifacts").asText().contains("sweep.yaml"), parent.toString());

    List<String> depths = new ArrayList<>();
    for (JsonNode child : children) {
      assertEquals(parent.get("id").asText(), child.get("tags").get("mlflow.parentRunId").asText());
      assertEquals("FINISHED", child.get("status").asText(), child.toString());
      JsonNode params = child.get("params");
      depths.add(params.get("freeze_depth").asText());
      assertEquals("0.003", params.get("lr_head").asText());
      assertEquals("16", params.get("batch_size").asText());
      assertEquals("2", params.get("epochs").asText());
      assertEquals("1", child.get("tags").get("thaw.attempt").asText());
      assertEquals("mlflow-test-worker", child.get("tags").get("thaw.worker_id").asText());
      assertTrue(child.get("tags").has("thaw.lease_id"), child.toString());
      assertTrue(
          child.get("name").asText().startsWith("fd=" + params.get("freeze_depth").asText()),
          child.get("name").asText());
      List<Integer> steps = new ArrayList<>();
      child.get("metrics").get("val_accuracy").forEach(p -> steps.add(p.get(0).asInt()));
      assertEquals(List.of(1, 2), steps.stream().sorted().toList(), child.toString());
      assertEquals(2, child.get("metrics").get("samples_per_second").size());
      String artifacts = child.get("artifacts").asText();
      assertTrue(
          artifacts.contains("trial.json") && artifacts.contains("learning_curve.png"), artifacts);
    }
    assertEquals(List.of("0", "2"), depths.stream().sorted().toList());

    // The live page's link to each trial's run: the child run of that trial, on that server.
    List<String> linked = new ArrayList<>();
    for (int number = 0; number < 2; number++) {
      var link = given().get("/api/v1/sweeps/" + s.id() + "/trials/" + number + "/mlflow").then();
      link.statusCode(200);
      String runId = link.extract().path("run_id");
      assertEquals(uri + "/#/runs/" + runId, link.extract().path("url"));
      linked.add(runId);
    }
    List<String> childIds = new ArrayList<>();
    children.forEach(c -> childIds.add(c.get("id").asText()));
    assertEquals(childIds.stream().sorted().toList(), linked.stream().sorted().toList());
  }

  @Test
  @EnabledIf("dev.thaw.model.zoo.PackagedFiles#zooWeightsPresent")
  void aSweepOfTheImageNetMobileNetLandsWithItsInputAndBatchNormParams(@TempDir Path tmp)
      throws Exception {
    TestSweeps.cancelAll(sweepRepo, sweeps);
    String name = "mlflow-zoo-" + UUID.randomUUID().toString().substring(0, 8);
    SweepRecord s = sweeps.submit(TestSweeps.tinyZoo(name), "zoo.yaml");
    runTwoTrials(s, "mlflow-zoo-worker", tmp);
    String uri = System.getenv(MlflowServer.URI_ENV);

    JsonNode runs = MlflowProcess.readBack(uri, name);
    List<String> depths = new ArrayList<>();
    for (JsonNode child : runs) {
      if (!child.get("tags").has("mlflow.parentRunId")) {
        continue;
      }
      assertEquals("FINISHED", child.get("status").asText(), child.toString());
      assertEquals("zoo:mobilenet_v2", child.get("tags").get("thaw.source_model").asText());
      JsonNode params = child.get("params");
      depths.add(params.get("freeze_depth").asText());
      assertEquals("32", params.get("input_size").asText());
      assertEquals("flip", params.get("augmentation").asText());
      assertEquals("frozen", params.get("batch_norm").asText());
      assertEquals("1.0E-5", params.get("lr_backbone_lo").asText());
      List<Integer> steps = new ArrayList<>();
      child.get("metrics").get("val_accuracy").forEach(p -> steps.add(p.get(0).asInt()));
      assertEquals(List.of(1, 2), steps.stream().sorted().toList(), "warm-up and fine-tuning");
    }
    assertEquals(List.of("5", "9"), depths.stream().sorted().toList(), "all is the 9 groups");
  }

  /**
   * A worker pulls the sweep's two trials over HTTP and completes both; the sweep is completed and
   * its parent run sent.
   */
  private SweepRecord runTwoTrials(SweepRecord sweep, String workerId, Path tmp)
      throws InterruptedException {
    WorkerAgent agent =
        WorkerAgent.builder()
            .setSource(TestTokens.workerSource(orchestrator))
            .optDevice(Devices.parse("cpu"))
            .optWorkerId(workerId)
            .optRunsDir(tmp.resolve("runs"))
            .optTrackingSpool(tmp.resolve("worker-spool"))
            .optMaxTrials(2)
            .optIdleExit(Duration.ofSeconds(30))
            .build();
    WorkerSummary summary = agent.run();
    assertEquals(2, summary.outcomes().get(TrialOutcome.COMPLETED), summary.toString());
    SweepRecord done =
        QuarkusTransaction.requiringNew().call(() -> sweepRepo.find(sweep.id()).orElseThrow());
    assertEquals(SweepState.COMPLETED, done.state(), done.stopReason());
    assertTrue(
        trackers.forUri(System.getenv(MlflowServer.URI_ENV)).flush(Duration.ofSeconds(30)),
        "parent run sent");
    return done;
  }
}
