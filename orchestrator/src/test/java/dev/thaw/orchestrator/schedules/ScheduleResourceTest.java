package dev.thaw.orchestrator.schedules;

import static dev.thaw.orchestrator.TestSweeps.epoch;
import static dev.thaw.orchestrator.TestSweeps.result;
import static dev.thaw.orchestrator.TestSweeps.scheduled;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.api.SweepState;
import dev.thaw.orchestrator.TestSweeps;
import dev.thaw.orchestrator.leases.LeaseService;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * Scheduled sweeps through the REST API, on the real store and the real Quartz JDBC job store (in
 * memory H2 under the test profile). No worker runs: executions keep their trials queued unless a
 * test leases and completes them itself.
 */
@QuarkusTest
class ScheduleResourceTest {
  @Inject SweepService sweeps;
  @Inject SweepRepository sweepRepo;
  @Inject TrialRepository trialRepo;
  @Inject ScheduleService schedules;
  @Inject ScheduleRepository scheduleRepo;
  @Inject LeaseService leases;
  @Inject Scheduler quartz;
  @Inject MeterRegistry registry;

  @BeforeEach
  @AfterEach
  void quiet() {
    schedules.all().stream()
        .filter(s -> !s.paused())
        .forEach(s -> schedules.setPaused(s.id(), true));
    TestSweeps.cancelAll(sweepRepo, sweeps);
  }

  static ValidatableResponse register(String yaml) {
    return given()
        .contentType("application/yaml")
        .body(yaml.getBytes(StandardCharsets.UTF_8))
        .when()
        .post("/api/v1/schedules?origin=test.yaml")
        .then();
  }

  private static String trigger(String id, int execution) {
    return given()
        .post("/api/v1/schedules/" + id + "/trigger")
        .then()
        .statusCode(200)
        .body("outcome", equalTo("started"))
        .body("execution", equalTo(execution))
        .extract()
        .path("sweep_id");
  }

  private SweepRecord sweep(String id) {
    return QuarkusTransaction.requiringNew().call(() -> sweepRepo.find(id).orElseThrow());
  }

  private List<TrialRecord> trials(String sweepId) {
    return QuarkusTransaction.requiringNew().call(() -> trialRepo.ofSweep(sweepId));
  }

  /** Leases and completes every trial of the only running sweep; trial #n scores base + n/10. */
  private void completeAll(String sweepId, double base) {
    for (int i = 0; i < 4; i++) {
      Optional<Lease> lease = leases.lease(new LeaseRequest("w", "test-host", "cpu()"));
      assertTrue(lease.isPresent(), "trial " + i + " of " + sweepId + " is leased");
      TrialRecord t =
          QuarkusTransaction.requiringNew()
              .call(() -> trialRepo.find(lease.get().trialId()).orElseThrow());
      assertEquals(sweepId, t.sweepId());
      leases.complete(
          lease.get().leaseId(), result(t, List.of(epoch(1, base + t.number() / 10.0))));
    }
    assertEquals(SweepState.COMPLETED, sweep(sweepId).state());
  }

  @Test
  void overlapCancelCancelsTheRunningExecutionAndStartsTheNext() {
    String id =
        register(scheduled("overlap-cancel", "cron: \"0 0 2 * * ?\"\noverlap: cancel"))
            .statusCode(201)
            .body("overlap", equalTo("cancel"))
            .extract()
            .path("id");
    String first = trigger(id, 1);
    String second = trigger(id, 2);
    assertEquals(SweepState.CANCELLED, sweep(first).state(), "the running execution is cancelled");
    assertEquals(SweepState.RUNNING, sweep(second).state());
    given()
        .get("/api/v1/schedules/" + id + "/firings")
        .then()
        .statusCode(200)
        .body("[0].outcome", equalTo("started"))
        .body("[0].message", containsString("cancelled execution #1"));
  }

  @Test
  void overlapQueueStartsTheExecutionOnceThePreviousEnded() throws InterruptedException {
    String id =
        register(scheduled("overlap-queue", "cron: \"0 0 2 * * ?\"\noverlap: queue"))
            .statusCode(201)
            .extract()
            .path("id");
    String first = trigger(id, 1);
    given()
        .post("/api/v1/schedules/" + id + "/trigger")
        .then()
        .statusCode(200)
        .body("outcome", equalTo("queued"));
    // A third firing while one already waits is skipped, not queued twice.
    given()
        .post("/api/v1/schedules/" + id + "/trigger")
        .then()
        .statusCode(200)
        .body("outcome", equalTo("skipped"));
    Thread.sleep(2_500); // queue checks run every second in tests: still waiting
    assertEquals(
        1, QuarkusTransaction.requiringNew().call(() -> scheduleRepo.executions(id)).size());
    completeAll(first, 0.5);
    long deadline = System.currentTimeMillis() + 10_000;
    int executions = 1;
    while (System.currentTimeMillis() < deadline && executions < 2) {
      Thread.sleep(200);
      executions = QuarkusTransaction.requiringNew().call(() -> scheduleRepo.executions(id)).size();
    }
    assertEquals(2, executions, "the queued firing started execution #2 after #1 ended");
  }

  @Test
  void aSecondsCronFiresAnExecutionAndSkipsWhileItRuns() throws InterruptedException {
    String id =
        register(scheduled("every-two-seconds", "cron: \"*/2 * * * * ?\""))
            .statusCode(201)
            .header("Location", containsString("/api/v1/schedules/"))
            .body("overlap", equalTo("skip"))
            .body("next_fire_at", not(nullValue()))
            .extract()
            .path("id");
    long deadline = System.currentTimeMillis() + 15_000;
    List<String> outcomes = List.of();
    while (System.currentTimeMillis() < deadline
        && !(outcomes.contains("started") && outcomes.contains("skipped"))) {
      Thread.sleep(250);
      outcomes =
          given().get("/api/v1/schedules/" + id + "/firings").then().extract().path("outcome");
    }
    assertTrue(outcomes.contains("started"), "an execution started: " + outcomes);
    assertTrue(outcomes.contains("skipped"), "a firing while it ran was skipped: " + outcomes);
    assertEquals(1, outcomes.stream().filter("started"::equals).count(), outcomes.toString());
    given()
        .get("/api/v1/schedules/" + id + "/firings")
        .then()
        .body("find { it.outcome == 'skipped' }.message", containsString("execution #1"))
        .body("find { it.outcome == 'skipped' }.message", containsString("still running"));
    String sweepId =
        given()
            .get("/api/v1/schedules/" + id + "/firings")
            .then()
            .extract()
            .path("find { it.outcome == 'started' }.sweep_id");
    SweepRecord execution = sweep(sweepId);
    assertEquals("every-two-seconds", execution.name());
    assertEquals(4, trials(sweepId).size());

    given()
        .post("/api/v1/schedules/every-two-seconds/pause")
        .then()
        .statusCode(200)
        .body("paused", equalTo(true))
        .body("next_fire_at", nullValue())
        .body("executions", equalTo(1));
  }

  @Test
  void anInvalidCronOrTimeZoneIsRejectedAndNothingIsRegistered() throws Exception {
    int jobs = quartz.getJobKeys(GroupMatcher.jobGroupEquals(ScheduleTriggers.GROUP)).size();
    register(scheduled("bad-cron", "cron: \"0 0 25 * * ?\""))
        .statusCode(400)
        .body("error", equalTo("invalid_sweep"))
        .body("details[0]", containsString("schedule.cron: not a Quartz cron expression"))
        .body("details[0]", containsString("(line 10, column 9)"));
    register(scheduled("bad-zone", "cron: \"0 0 2 * * ?\"\ntime_zone: Europe/Berln"))
        .statusCode(400)
        .body("details[0]", containsString("schedule.time_zone: unknown time zone 'Europe/Berln'"))
        .body("details[0]", containsString("did you mean 'Europe/Berlin'?"))
        .body("details[0]", containsString("(line 11"));
    // The sweep endpoint refuses them the same way.
    given()
        .contentType("application/yaml")
        .body(scheduled("bad-cron", "cron: \"0 0 25 * * ?\"").getBytes(StandardCharsets.UTF_8))
        .post("/api/v1/sweeps")
        .then()
        .statusCode(400)
        .body("details[0]", containsString("schedule.cron"));
    given()
        .get("/api/v1/schedules")
        .then()
        .statusCode(200)
        .body("name", not(hasItem("bad-cron")))
        .body("name", not(hasItem("bad-zone")));
    given().get("/api/v1/schedules/bad-cron").then().statusCode(404);
    assertEquals(
        jobs, quartz.getJobKeys(GroupMatcher.jobGroupEquals(ScheduleTriggers.GROUP)).size());
  }

  @Test
  void registeringIsIdempotentAndTheSweepEndpointRegistersScheduledFiles() throws Exception {
    String yaml = scheduled("nightly-idem", "cron: \"0 0 2 * * ?\"\ntime_zone: Europe/Berlin");
    String id =
        given()
            .contentType("application/yaml")
            .body(yaml.getBytes(StandardCharsets.UTF_8))
            .post("/api/v1/sweeps")
            .then()
            .statusCode(201)
            .header("Location", containsString("/api/v1/schedules/"))
            .body("name", equalTo("nightly-idem"))
            .body("time_zone", equalTo("Europe/Berlin"))
            .body("executions", equalTo(0))
            .extract()
            .path("id");
    var next = quartz.getTrigger(ScheduleTriggers.cronKey(id)).getNextFireTime();
    register(yaml).statusCode(201).body("id", equalTo(id));
    assertEquals(next, quartz.getTrigger(ScheduleTriggers.cronKey(id)).getNextFireTime());
    // A changed cron replaces the trigger of the same schedule.
    register(scheduled("nightly-idem", "cron: \"0 30 3 * * ?\"\ntime_zone: Europe/Berlin"))
        .statusCode(201)
        .body("id", equalTo(id))
        .body("cron", equalTo("0 30 3 * * ?"));
    assertEquals(
        "0 30 3 * * ?",
        ((org.quartz.CronTrigger) quartz.getTrigger(ScheduleTriggers.cronKey(id)))
            .getCronExpression());
    assertFalse(sweepRepoHasSweepNamed("nightly-idem"), "registering starts no execution");
  }

  private boolean sweepRepoHasSweepNamed(String name) {
    return QuarkusTransaction.requiringNew()
        .call(() -> sweepRepo.all().stream().anyMatch(s -> s.name().equals(name)));
  }

  @Test
  void warmStartReRunsThePreviousBestAndTheReportFlagsARegression() {
    String id =
        register(
                scheduled(
                    "warm-nightly",
                    "cron: \"0 0 2 * * ?\"\nwarm_start: 2\nregression_threshold: 0.05"))
            .statusCode(201)
            .body("warm_start", equalTo(2))
            .extract()
            .path("id");
    double started = count("thaw.schedule.firings", "started");
    double regressions = count("thaw.schedule.regressions", null);
    String first = trigger(id, 1);
    completeAll(first, 0.5); // trial #n: 0.5 + n/10, so #3 then #2 are best
    assertEquals(regressions, count("thaw.schedule.regressions", null), "no previous execution");
    List<TrialRecord> before = trials(first);
    String bestHash = before.get(3).configHash();
    String secondHash = before.get(2).configHash();

    String second = trigger(id, 2);
    List<TrialRecord> after = trials(second);
    assertEquals(4, after.size(), "the grid is covered once, the warm starts included");
    assertEquals(bestHash, after.get(0).configHash(), "last night's best runs first");
    assertEquals(secondHash, after.get(1).configHash());
    assertEquals(-1, after.get(0).proposalIndex());
    assertEquals(-2, after.get(1).proposalIndex());
    Set<String> hashes = after.stream().map(TrialRecord::configHash).collect(Collectors.toSet());
    assertEquals(
        before.stream().map(TrialRecord::configHash).collect(Collectors.toSet()),
        hashes,
        "the search skipped the re-run configurations");

    completeAll(second, 0.2); // every trial worse: best 0.5 against 0.8
    assertEquals(started + 2, count("thaw.schedule.firings", "started"), "two firings counted");
    assertEquals(regressions + 1, count("thaw.schedule.regressions", null), "the regression too");
    given()
        .get("/api/v1/schedules/" + id + "/report")
        .then()
        .statusCode(200)
        .body("execution", equalTo(2))
        .body("sweep_id", equalTo(second))
        .body("previous_execution", equalTo(1))
        .body("previous_sweep_id", equalTo(first))
        .body("best.objective", equalTo(0.5f))
        .body("previous_best.objective", equalTo(0.8f))
        .body("regression", equalTo(true))
        .body("warm_starts.size()", equalTo(2))
        .body("summary", containsString("REGRESSION"));
    given()
        .get("/api/v1/schedules/" + id + "/report?execution=1")
        .then()
        .statusCode(200)
        .body("previous_execution", nullValue())
        .body("regression", equalTo(false))
        .body("summary", containsString("no previous execution"));
    given().get("/api/v1/schedules/" + id + "/report?execution=7").then().statusCode(404);
    assertNotNull(id);
  }

  /** A counter of the metrics, with its {@code outcome} tag when given. */
  private double count(String name, String outcome) {
    var search = registry.get(name);
    return (outcome == null ? search : search.tag("outcome", outcome)).counter().count();
  }
}
