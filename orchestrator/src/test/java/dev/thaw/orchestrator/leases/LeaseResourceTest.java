package dev.thaw.orchestrator.leases;

import static dev.thaw.orchestrator.TestSweeps.epoch;
import static dev.thaw.orchestrator.TestSweeps.grid;
import static dev.thaw.orchestrator.TestSweeps.result;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.thaw.api.SweepState;
import dev.thaw.api.TrialState;
import dev.thaw.json.ThawJson;
import dev.thaw.orchestrator.TestSweeps;
import dev.thaw.orchestrator.store.AttemptRecord;
import dev.thaw.orchestrator.store.AttemptRepository;
import dev.thaw.orchestrator.store.AttemptState;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialResult;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker API over HTTP, for what only the wire shows: {@code complete?next=true}, which records
 * the result and answers the next lease (the lease tests cover the protocol's rules through {@link
 * LeaseService}). Test profile: leases last 2 s, the reaper runs every 200 ms.
 */
@QuarkusTest
class LeaseResourceTest {
  private static final LeaseRequest WORKER = new LeaseRequest("rest-worker", "rest-host", "gpu(1)");

  @Inject SweepService sweeps;
  @Inject SweepRepository sweepRepo;
  @Inject TrialRepository trialRepo;
  @Inject AttemptRepository attemptRepo;

  @BeforeEach
  @AfterEach
  void noOtherSweepRuns() {
    TestSweeps.cancelAll(sweepRepo, sweeps);
  }

  private static String json(Object value) {
    try {
      return ThawJson.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Lease lease() {
    String body =
        given()
            .contentType(ContentType.JSON)
            .body(json(WORKER))
            .post("/api/v1/leases")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    return parse(body);
  }

  private static Lease parse(String body) {
    try {
      return ThawJson.mapper().readValue(body, Lease.class);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not a Lease: " + body, e);
    }
  }

  /** POSTs a one-epoch result for the lease, with {@code ?next=true} when asked. */
  private static Response complete(Lease lease, boolean next, double accuracy) {
    var request =
        given()
            .contentType(ContentType.JSON)
            .body(json(result(lease, List.of(epoch(1, accuracy)))));
    if (next) {
      request.queryParam("next", true);
    }
    return request.post("/api/v1/leases/" + lease.leaseId() + "/complete");
  }

  private TrialRecord trial(String id) {
    return QuarkusTransaction.requiringNew().call(() -> trialRepo.find(id).orElseThrow());
  }

  private AttemptRecord attempt(String leaseId) {
    return QuarkusTransaction.requiringNew().call(() -> attemptRepo.find(leaseId).orElseThrow());
  }

  private Map<TrialState, Integer> counts(String sweepId) {
    return QuarkusTransaction.requiringNew().call(() -> trialRepo.countByState(sweepId));
  }

  @Test
  void completeWithNextRecordsTheResultAndAnswersTheNextLeaseForTheSameWorker() {
    // parallel_trials 1: the next trial can only be leased once the result is in.
    SweepRecord s = sweeps.submit(grid("rest-next", 1, 1, ""), "test");
    Lease first = lease();

    Response reply = complete(first, true, 0.7);
    assertEquals(200, reply.statusCode(), reply.asString());
    Lease second = parse(reply.asString());
    assertEquals(TrialState.COMPLETED, trial(first.trialId()).state());
    assertEquals(0.7, trial(first.trialId()).objective());
    assertNotEquals(first.trialId(), second.trialId());
    assertNotEquals(first.leaseId(), second.leaseId());
    assertEquals(s.id(), second.sweepId());
    assertEquals(1, second.attempt());
    assertEquals(second.trialId(), second.trial().id(), "the trial spec came with it");
    assertEquals(first.leaseSeconds(), second.leaseSeconds());
    assertEquals(TrialState.RUNNING, trial(second.trialId()).state());
    AttemptRecord held = attempt(second.leaseId());
    assertEquals(
        List.of(WORKER.workerId(), WORKER.host(), WORKER.device()),
        List.of(held.workerId(), held.host(), held.device()),
        "leased to the worker that completed the first");

    // Without next, nothing changes: 204, and nothing more is leased.
    complete(second, false, 0.6).then().statusCode(204);
    assertEquals(TrialState.COMPLETED, trial(second.trialId()).state());
    assertEquals(0, counts(s.id()).get(TrialState.RUNNING));
    assertEquals(6, counts(s.id()).get(TrialState.QUEUED));
  }

  @Test
  void aHandBackQueuesTheTrialAgainAndASecondOneIsALostLease() {
    sweeps.submit(
        grid("rest-hand-back", 1, 0, "")
            .replace("freeze_depth: {values: [0, 1, 2, 3]}", "freeze_depth: {value: 1}"),
        "test");
    Lease lease = lease();
    given()
        .contentType(ContentType.JSON)
        .body("{\"reason\": \"worker w stopped: SIGTERM\"}")
        .post("/api/v1/leases/" + lease.leaseId() + "/hand-back")
        .then()
        .statusCode(204);
    assertEquals(TrialState.QUEUED, trial(lease.trialId()).state(), "retries 0, yet queued");
    assertEquals(AttemptState.HANDED_BACK, attempt(lease.leaseId()).state());
    given()
        .contentType(ContentType.JSON)
        .body("{\"reason\": \"again\"}")
        .post("/api/v1/leases/" + lease.leaseId() + "/hand-back")
        .then()
        .statusCode(409)
        .body("error", equalTo("lease_lost"));
  }

  @Test
  void completeWithNextIs204WhenNoTrialIsReady() {
    SweepRecord s =
        sweeps.submit(
            grid("rest-last", 2, 1, "")
                .replace("freeze_depth: {values: [0, 1, 2, 3]}", "freeze_depth: {value: 1}"),
            "test");
    Lease first = lease();
    Lease second = parse(complete(first, true, 0.5).then().statusCode(200).extract().asString());

    complete(second, true, 0.6).then().statusCode(204);
    assertEquals(TrialState.COMPLETED, trial(second.trialId()).state(), "the result is in");
    assertEquals(2, counts(s.id()).get(TrialState.COMPLETED));
    SweepRecord done =
        QuarkusTransaction.requiringNew().call(() -> sweepRepo.find(s.id()).orElseThrow());
    assertEquals(SweepState.COMPLETED, done.state(), done.stopReason());
  }

  @Test
  void aLateCompleteWithNextIsRefusedAndLeasesNothing() throws Exception {
    // parallel_trials 2: a free slot and queued trials, so a lease would be possible.
    SweepRecord s = sweeps.submit(grid("rest-late", 2, 1, ""), "test");
    Lease dead = lease();
    long end = System.currentTimeMillis() + 8_000; // lease 2 s + a reaper run
    while (trial(dead.trialId()).state() != TrialState.QUEUED) {
      assertTrue(System.currentTimeMillis() < end, "the expired lease was never requeued");
      Thread.sleep(100);
    }

    complete(dead, true, 0.99)
        .then()
        .statusCode(409)
        .body("error", equalTo("lease_lost"))
        .body("message", containsString("expired"));
    assertEquals(0, counts(s.id()).get(TrialState.RUNNING), "nothing was leased");
    assertEquals(8, counts(s.id()).get(TrialState.QUEUED));
    TrialRecord t = trial(dead.trialId());
    assertEquals(1, t.attempts());
    assertNull(t.objective(), "the late 0.99 never landed");
  }

  @Test
  void aResultThatDoesNotFitItsLeaseIsRefusedWithEveryProblemAndNothingStored() {
    // Two trials running at once: the forger holds one lease and copies the other's hash.
    SweepRecord s = sweeps.submit(grid("rest-forged", 2, 1, ""), "test");
    Lease mine = lease();
    Lease other = lease();
    List<EpochMetrics> eight = new ArrayList<>();
    for (int e = 1; e <= 8; e++) {
      eight.add(epoch(e, 0.999));
    }
    TrialResult honest = result(mine, eight);
    TrialResult forged =
        TrialResult.builder()
            .trialId(honest.trialId())
            .configHash(other.trial().configHash())
            .monitor(honest.monitor())
            .bestValue(0.999)
            .bestEpoch(8)
            .epochsRun(8)
            .stoppedEarly(false)
            .wallSeconds(Double.POSITIVE_INFINITY)
            .bestWeights(honest.bestWeights())
            .finalValLoss(honest.finalValLoss())
            .finalValAccuracy(honest.finalValAccuracy())
            .targetClasses(honest.targetClasses())
            .trainExamples(honest.trainExamples())
            .validationExamples(honest.validationExamples())
            .groupLearningRates(honest.groupLearningRates())
            .epochs(eight)
            .build();

    Response reply =
        given()
            .contentType(ContentType.JSON)
            .body(json(forged))
            .queryParam("next", true)
            .post("/api/v1/leases/" + mine.leaseId() + "/complete");
    assertEquals(400, reply.statusCode(), reply.asString());
    assertEquals("invalid_report", reply.jsonPath().getString("error"));
    List<String> details = reply.jsonPath().getList("details", String.class);
    String all = String.join("\n", details);
    assertTrue(all.contains("config_hash: '" + other.trial().configHash()), all);
    assertTrue(all.contains("epochs_run: must be in [0, 3]"), all);
    assertTrue(all.contains("epochs[3].epoch: must be in [1, 3]"), all);
    assertTrue(all.contains("wall_seconds: must be a finite number"), all);
    assertTrue(reply.jsonPath().getString("message").contains("nothing stored"));

    TrialRecord t = trial(mine.trialId());
    assertEquals(TrialState.RUNNING, t.state(), "the refused result ended nothing");
    assertNull(t.objective(), "no epoch of it was stored");
    assertEquals(AttemptState.ACTIVE, attempt(mine.leaseId()).state());
    assertEquals(1, counts(s.id()).get(TrialState.RUNNING) - 1, "and nothing more was leased");

    // A heartbeat with an out-of-range accuracy is refused the same way.
    given()
        .contentType(ContentType.JSON)
        .body("{\"epochs\": [" + json(epoch(1, 1.5)) + "]}")
        .post("/api/v1/leases/" + mine.leaseId() + "/heartbeat")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_report"))
        .body("details", hasItem(containsString("epochs[0].val_accuracy: must be in [0, 1]")));
    assertNull(trial(mine.trialId()).objective());

    // So is one whose worker figures (optional, for the metrics) are not finite numbers >= 0.
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"epochs\": [], \"epoch_seconds\": 1e400, \"samples_per_second\": -3,"
                + " \"feature_cache_hits\": 5, \"feature_cache_lookups\": 2}")
        .post("/api/v1/leases/" + mine.leaseId() + "/heartbeat")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_report"))
        .body("details", hasItem("epoch_seconds: must be a finite number >= 0 (got Infinity)"))
        .body("details", hasItem("samples_per_second: must be a finite number >= 0 (got -3.0)"))
        .body(
            "details", hasItem("feature_cache_hits: must be <= feature_cache_lookups (got 5 > 2)"));
    // And well-formed figures pass.
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"epochs\": [], \"epoch_seconds\": 2.5, \"samples_per_second\": 300,"
                + " \"feature_cache_hits\": 2, \"feature_cache_lookups\": 4}")
        .post("/api/v1/leases/" + mine.leaseId() + "/heartbeat")
        .then()
        .statusCode(200);

    // The honest result of the same lease is taken.
    complete(mine, false, 0.75).then().statusCode(204);
    assertEquals(TrialState.COMPLETED, trial(mine.trialId()).state());
    assertEquals(0.75, trial(mine.trialId()).objective());
  }

  @Test
  void overlongTextsAreRefusedOrCutNeverA500() {
    sweeps.submit(
        grid("rest-long", 1, 0, "")
            .replace("freeze_depth: {values: [0, 1, 2, 3]}", "freeze_depth: {value: 1}"),
        "test");
    given()
        .contentType(ContentType.JSON)
        .body(json(new LeaseRequest("w".repeat(201), "h", "cpu()")))
        .post("/api/v1/leases")
        .then()
        .statusCode(400)
        .body("error", equalTo("bad_request"))
        .body("message", equalTo("worker_id: at most 200 characters (got 201)"));
    Lease lease = lease();
    given()
        .contentType(ContentType.JSON)
        .body("{\"reason\": \"" + "x".repeat(100_000) + "\", \"retryable\": false}")
        .post("/api/v1/leases/" + lease.leaseId() + "/fail")
        .then()
        .statusCode(204);
    TrialRecord t = trial(lease.trialId());
    assertEquals(TrialState.FAILED, t.state());
    assertTrue(t.reason().length() <= 2000 && t.reason().endsWith(" [...]"), t.reason());
  }

  @Test
  void cachedPrefixHintsTravelAsJsonAndBadOnesAreA400NamingTheEntry() {
    sweeps.submit(
        grid("rest-hints", 1, 0, "")
            .replace("freeze_depth: {values: [0, 1, 2, 3]}", "freeze_depth: {value: 1}"),
        "test");
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"worker_id\": \"hinting\", \"host\": \"h\", \"device\": \"cpu()\","
                + " \"cached_prefixes\": [\"0123456789abcdef@2\", \"../etc/passwd\"]}")
        .post("/api/v1/leases")
        .then()
        .statusCode(400)
        .body("error", equalTo("bad_request"))
        .body("message", startsWith("cached_prefixes[1]: must be TASK@DEPTH"));
    given()
        .contentType(ContentType.JSON)
        .body(json(new LeaseRequest("hinting", "h", "cpu()", List.of("0123456789abcdef@2"))))
        .post("/api/v1/leases")
        .then()
        .statusCode(200);
  }
}
