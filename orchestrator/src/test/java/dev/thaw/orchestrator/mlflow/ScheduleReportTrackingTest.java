package dev.thaw.orchestrator.mlflow;

import static dev.thaw.orchestrator.TestSweeps.epoch;
import static dev.thaw.orchestrator.TestSweeps.result;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.api.SweepState;
import dev.thaw.orchestrator.TestSweeps;
import dev.thaw.orchestrator.leases.LeaseService;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A schedule's morning report lands on each execution's MLflow parent run (tags and the run's
 * description), read back with MLflow's own Python client from the real server. Trials are leased
 * and completed here, without training, with made-up objectives.
 */
@QuarkusTest
@TestProfile(MlflowServer.class)
@EnabledIfEnvironmentVariable(named = MlflowServer.URI_ENV, matches = ".+")
class ScheduleReportTrackingTest {
  @Inject SweepService sweeps;
  @Inject SweepRepository sweepRepo;
  @Inject TrialRepository trialRepo;
  @Inject LeaseService leases;
  @Inject Trackers trackers;

  /** Fires the schedule now and completes its 4 trials; trial #n scores base + n/10. */
  private String runExecution(String scheduleId, int execution, double base) {
    String sweepId =
        given()
            .post("/api/v1/schedules/" + scheduleId + "/trigger")
            .then()
            .statusCode(200)
            .extract()
            .path("sweep_id");
    assertNotNull(sweepId, "execution #" + execution + " started");
    for (int i = 0; i < 4; i++) {
      Optional<Lease> lease = leases.lease(new LeaseRequest("w", "test-host", "cpu()"));
      assertTrue(lease.isPresent(), "trial " + i + " of execution #" + execution);
      TrialRecord t =
          QuarkusTransaction.requiringNew()
              .call(() -> trialRepo.find(lease.get().trialId()).orElseThrow());
      leases.complete(
          lease.get().leaseId(), result(t, List.of(epoch(1, base + t.number() / 10.0))));
    }
    SweepState state =
        QuarkusTransaction.requiringNew().call(() -> sweepRepo.find(sweepId).orElseThrow().state());
    assertEquals(SweepState.COMPLETED, state);
    return sweepId;
  }

  @Test
  void eachExecutionsParentRunCarriesItsMorningReport() throws Exception {
    TestSweeps.cancelAll(sweepRepo, sweeps);
    String name = "nightly-report-" + UUID.randomUUID().toString().substring(0, 8);
    String scheduleId =
        given()
            .contentType("application/yaml")
            .body(
                TestSweeps.scheduled(
                        name, "cron: \"0 0 2 * * ?\"\nwarm_start: 2\nregression_threshold: 0.05")
                    .getBytes(StandardCharsets.UTF_8))
            .post("/api/v1/schedules?origin=nightly.yaml")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    runExecution(scheduleId, 1, 0.5); // best 0.8
    runExecution(scheduleId, 2, 0.2); // best 0.5: a regression beyond 0.05
    String uri = System.getenv(MlflowServer.URI_ENV);
    assertTrue(trackers.forUri(uri).flush(Duration.ofSeconds(30)), "everything sent");

    JsonNode runs = MlflowProcess.readBack(uri, name);
    JsonNode first = null;
    JsonNode second = null;
    for (JsonNode r : runs) {
      String execution = r.get("tags").path("thaw.execution").asText();
      if (execution.equals("1")) {
        first = r;
      } else if (execution.equals("2")) {
        second = r;
      }
    }
    assertNotNull(first, runs.toString());
    assertNotNull(second, runs.toString());
    assertEquals(scheduleId, second.get("tags").path("thaw.schedule_id").asText());
    assertEquals("false", first.get("tags").path("thaw.regression").asText(), first.toString());
    JsonNode tags = second.get("tags");
    assertEquals("true", tags.path("thaw.regression").asText(), tags.toString());
    assertEquals("1", tags.path("thaw.previous_execution").asText());
    assertEquals(0.5, tags.path("thaw.best_objective").asDouble(), 1e-9);
    assertEquals(0.8, tags.path("thaw.previous_best_objective").asDouble(), 1e-9);
    assertTrue(
        tags.path("mlflow.note.content").asText().contains("REGRESSION"),
        tags.path("mlflow.note.content").asText());
  }
}
