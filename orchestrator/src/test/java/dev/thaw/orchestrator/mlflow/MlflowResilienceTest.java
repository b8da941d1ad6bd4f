package dev.thaw.orchestrator.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.api.SweepState;
import dev.thaw.mlflow.FoundRun;
import dev.thaw.mlflow.TrackedExperiment;
import dev.thaw.orchestrator.TestSweeps;
import dev.thaw.orchestrator.TestTokens;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.protocol.Failure;
import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.train.Devices;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialResult;
import dev.thaw.worker.TrialOutcome;
import dev.thaw.worker.TrialSource;
import dev.thaw.worker.WorkerAgent;
import dev.thaw.worker.WorkerListener;
import dev.thaw.worker.WorkerSummary;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracking when things go wrong, against real MLflow servers and tiny real sweeps run by workers
 * over HTTP: a worker that dies mid-trial leaves a FAILED child run behind; a server that is down
 * when the sweep starts and again mid-sweep loses no metric and nests every child run.
 */
@QuarkusTest
@TestProfile(MlflowServer.class)
@EnabledIfEnvironmentVariable(named = MlflowServer.URI_ENV, matches = ".+")
class MlflowResilienceTest {
  private static final List<String> EPOCH_METRICS =
      List.of("train_loss", "val_loss", "val_accuracy", "epoch_seconds", "samples_per_second");

  @TestHTTPResource("/")
  URL orchestrator;

  @Inject SweepService sweeps;
  @Inject SweepRepository sweepRepo;
  @Inject Trackers trackers;

  @BeforeEach
  void noOtherSweepRuns() {
    TestSweeps.cancelAll(sweepRepo, sweeps);
  }

  @Test
  void theRunOfAWorkerThatDiedMidTrialIsMarkedFailedAndTheRetryGetsItsOwn(@TempDir Path tmp)
      throws Exception {
    String name = "mlflow-lost-" + UUID.randomUUID().toString().substring(0, 8);
    SweepRecord s = sweeps.submit(sweep(name, "[2]", ""), "lost.yaml");
    // The dying worker goes silent at its first heartbeat after epoch 1, as if killed: no more
    // heartbeats, no result, its child run left RUNNING. The lease (2 s in tests) expires.
    SilencedSource silenced = new SilencedSource(TestTokens.workerSource(orchestrator));
    WorkerAgent dying = agent(silenced, "dying-worker", 1, tmp.resolve("dying"), null);
    ExecutorService threads = Executors.newSingleThreadExecutor();
    Future<WorkerSummary> dyingRun = threads.submit(dying::run);
    try {
      assertTrue(silenced.silent.await(120, TimeUnit.SECONDS), "the worker reached epoch 1");
      String uri = System.getenv(MlflowServer.URI_ENV);
      TrackedExperiment experiment = new TrackedExperiment(name);
      FoundRun lost = awaitRun(uri, experiment, silenced.leaseId, r -> !r.active());
      assertEquals("FAILED", lost.status(), lost.toString());

      // The retry, on a healthy worker: attempt 2, a child run of its own.
      WorkerSummary healthy = agent(source(), "healthy-worker", 1, tmp.resolve("ok"), null).run();
      assertEquals(1, healthy.outcomes().get(TrialOutcome.COMPLETED), healthy.toString());
      SweepRecord done =
          QuarkusTransaction.requiringNew().call(() -> sweepRepo.find(s.id()).orElseThrow());
      assertEquals(SweepState.COMPLETED, done.state(), done.stopReason());
      assertTrue(trackers.forUri(uri).flush(Duration.ofSeconds(30)), "parent run ended");

      JsonNode runs = MlflowProcess.readBack(uri, name);
      assertEquals(3, runs.size(), "parent and two attempts: " + runs);
      JsonNode first = child(runs, "1");
      assertEquals("FAILED", first.get("status").asText(), first.toString());
      assertEquals(silenced.leaseId, first.get("tags").get("thaw.lease_id").asText());
      assertEquals("lost", first.get("tags").get("thaw.outcome").asText());
      assertTrue(
          first.get("tags").get("thaw.stop_reason").asText().contains("dying-worker"),
          first.toString());
      assertEquals(1, first.get("metrics").get("val_accuracy").size(), "epoch 1 was logged");
      JsonNode second = child(runs, "2");
      assertEquals("FINISHED", second.get("status").asText(), second.toString());
      assertEquals(2, second.get("metrics").get("val_accuracy").size(), second.toString());
      assertEquals(
          first.get("tags").get("mlflow.parentRunId").asText(),
          second.get("tags").get("mlflow.parentRunId").asText(),
          "both attempts under the sweep's parent run");
    } finally {
      silenced.revive(); // it hears 409 (lease lost) and drops the trial
      assertEquals(
          1, dyingRun.get(120, TimeUnit.SECONDS).outcomes().get(TrialOutcome.DROPPED), "dropped");
      threads.shutdownNow();
    }
  }

  @Test
  void aServerDownAtSubmitAndMidSweepLosesNoMetricAndNestsEveryChildRun(@TempDir Path tmp)
      throws Exception {
    Path serverDir = Files.createTempDirectory("thaw-test-mlflow-outage.");
    Files.delete(serverDir); // mlflow-server start wants a new or empty directory of its own
    try {
      String uri = MlflowProcess.start(serverDir, MlflowServer.ownServerPort());
      MlflowProcess.kill(serverDir); // down before the sweep starts: no parent run id for leases
      String name = "mlflow-outage-" + UUID.randomUUID().toString().substring(0, 8);
      SweepRecord s =
          sweeps.submit(
              sweep(name, "[0, 2]", "mlflow: {tracking_uri: \"" + uri + "\"}"), "outage.yaml");
      assertNull(s.mlflowParentRunId(), "the server is down: the parent run has no id yet");

      Checkpoints points = new Checkpoints();
      ExecutorService threads = Executors.newSingleThreadExecutor();
      Future<WorkerSummary> run =
          threads.submit(agent(source(), "outage-worker", 2, tmp, points)::run);
      try {
        // Trial 1 starts and logs epoch 1 while the server is down; it is back for epoch 2.
        points.awaitAndThen("1/2", () -> assertEquals(uri, MlflowProcess.start(serverDir)));
        // Trial 2: the server dies before epoch 1 is logged and is back for epoch 2.
        points.awaitAndThen("2/1", () -> MlflowProcess.kill(serverDir));
        points.awaitAndThen("2/2", () -> assertEquals(uri, MlflowProcess.start(serverDir)));
        WorkerSummary summary = run.get(300, TimeUnit.SECONDS);
        assertEquals(2, summary.outcomes().get(TrialOutcome.COMPLETED), summary.toString());
      } finally {
        points.releaseAll();
        threads.shutdownNow();
      }
      SweepRecord done =
          QuarkusTransaction.requiringNew().call(() -> sweepRepo.find(s.id()).orElseThrow());
      assertEquals(SweepState.COMPLETED, done.state(), done.stopReason());
      assertTrue(trackers.forUri(uri).flush(Duration.ofSeconds(90)), "orchestrator spool drained");

      // The orphan child run(s) get nested in the background once parent and child are there.
      JsonNode runs = MlflowProcess.readBack(uri, name);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!everyChildNested(runs) && System.nanoTime() < deadline) {
        Thread.sleep(2000);
        runs = MlflowProcess.readBack(uri, name);
      }
      assertEquals(3, runs.size(), "a parent and two children: " + runs);
      JsonNode parent = null;
      List<JsonNode> children = new ArrayList<>();
      for (JsonNode r : runs) {
        if (r.get("tags").has("thaw.method")) {
          parent = r;
        } else {
          children.add(r);
        }
      }
      assertNotNull(parent, runs.toString());
      assertEquals("FINISHED", parent.get("status").asText());
      assertEquals(2, parent.get("metrics").get("best_objective").size(), parent.toString());
      assertTrue(parent.get("artifacts").asText().contains("sweep.yaml"), parent.toString());
      for (JsonNode child : children) {
        assertEquals(
            parent.get("id").asText(),
            child.get("tags").path("mlflow.parentRunId").asText(),
            "nested: " + child);
        assertEquals("FINISHED", child.get("status").asText(), child.toString());
        for (String metric : EPOCH_METRICS) {
          List<Integer> steps = new ArrayList<>();
          child.get("metrics").get(metric).forEach(p -> steps.add(p.get(0).asInt()));
          assertEquals(
              List.of(1, 2), steps.stream().sorted().toList(), metric + " of " + child.get("name"));
        }
        assertTrue(
            child.get("artifacts").asText().contains("learning_curve.png"), child.toString());
      }
    } finally {
      MlflowProcess.remove(serverDir);
    }
  }

  private static boolean everyChildNested(JsonNode runs) {
    int nested = 0;
    for (JsonNode r : runs) {
      if (r.get("tags").has("mlflow.parentRunId")) {
        nested++;
      }
    }
    return runs.size() == 3 && nested == 2;
  }

  /** The child run of attempt {@code attempt} in a read-back. */
  private static JsonNode child(JsonNode runs, String attempt) {
    for (JsonNode r : runs) {
      if (attempt.equals(r.get("tags").path("thaw.attempt").asText())) {
        return r;
      }
    }
    throw new AssertionError("no child run of attempt " + attempt + " in " + runs);
  }

  /** Polls the server (a real search) until the run of a lease matches. */
  private FoundRun awaitRun(
      String uri,
      TrackedExperiment experiment,
      String leaseId,
      java.util.function.Predicate<FoundRun> done)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<FoundRun> found = List.of();
    while (System.nanoTime() < deadline) {
      found = trackers.forUri(uri).searchRuns(experiment, LostAttemptRun.byLease(leaseId));
      if (found.size() == 1 && done.test(found.get(0))) {
        return found.get(0);
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the run of lease " + leaseId + " never got there: " + found);
  }

  /** One trial per freeze depth in {@code depths}, 2 epochs each, one retry. */
  private static String sweep(String name, String depths, String extra) {
    return """
        name: %s
        objective: {metric: val_accuracy}
        method: grid
        retries: 1
        parameters:
          freeze_depth: {values: %s}
          lr_head: {value: 3.0e-3}
          lr_backbone: {value: 1.0e-3}
          epochs: {value: 2}
          batch_size: {value: 16}
        task:
          source_model: scratch:thaw-cnn-w4
          target: {dataset: mnist, labels_per_class: 8}
        %s
        """
        .formatted(name, depths, extra);
  }

  private TrialSource source() {
    return TestTokens.workerSource(orchestrator);
  }

  private static WorkerAgent agent(
      TrialSource source, String id, int trials, Path dir, WorkerListener listener) {
    WorkerAgent.Builder b =
        WorkerAgent.builder()
            .setSource(source)
            .optDevice(Devices.parse("cpu"))
            .optWorkerId(id)
            .optRunsDir(dir.resolve("runs"))
            .optTrackingSpool(dir.resolve("spool"))
            .optMaxTrials(trials)
            .optIdleExit(Duration.ofSeconds(30));
    if (listener != null) {
      b.optListener(listener);
    }
    return b.build();
  }

  /**
   * The real source, until the first heartbeat with an epoch: that one hangs until {@link
   * #revive()}, so the worker sends nothing more, as if it had been killed.
   */
  private static final class SilencedSource implements TrialSource {
    private final TrialSource real;
    final CountDownLatch silent = new CountDownLatch(1);
    private final CountDownLatch revived = new CountDownLatch(1);
    volatile String leaseId;

    SilencedSource(TrialSource real) {
      this.real = real;
    }

    void revive() {
      revived.countDown();
    }

    @Override
    public Optional<Lease> lease(LeaseRequest request) {
      Optional<Lease> lease = real.lease(request);
      lease.ifPresent(l -> leaseId = l.leaseId());
      return lease;
    }

    @Override
    public HeartbeatReply heartbeat(String lease, Heartbeat heartbeat) {
      if (!heartbeat.epochs().isEmpty()) {
        silent.countDown();
        try {
          revived.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return real.heartbeat(lease, heartbeat);
    }

    @Override
    public void complete(String lease, TrialResult result) {
      real.complete(lease, result);
    }

    @Override
    public void fail(String lease, Failure failure) {
      real.fail(lease, failure);
    }
  }

  /**
   * Pauses the worker at chosen epochs ("trial/epoch", trials counted from 1 in lease order), after
   * training the epoch and before logging it, until the test has done something there; the lease
   * stays alive meanwhile (background heartbeats).
   */
  private static final class Checkpoints implements WorkerListener {
    private static final List<String> POINTS = List.of("1/2", "2/1", "2/2");
    private final AtomicInteger trials = new AtomicInteger();
    private final Map<String, CountDownLatch> reached = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> resume = new ConcurrentHashMap<>();

    private CountDownLatch latch(Map<String, CountDownLatch> m, String point) {
      return m.computeIfAbsent(point, p -> new CountDownLatch(1));
    }

    @FunctionalInterface
    interface Action {
      void run() throws Exception;
    }

    /** Waits until the worker is at {@code point}, does {@code action}, lets the worker go on. */
    void awaitAndThen(String point, Action action) throws Exception {
      assertTrue(latch(reached, point).await(180, TimeUnit.SECONDS), "worker reached " + point);
      try {
        action.run();
      } finally {
        latch(resume, point).countDown();
      }
    }

    void releaseAll() {
      for (String p : POINTS) {
        latch(resume, p).countDown();
      }
    }

    @Override
    public void leased(Lease lease) {
      trials.incrementAndGet();
    }

    @Override
    public void epoch(Lease lease, EpochMetrics metrics) {
      String point = trials.get() + "/" + metrics.epoch();
      if (!POINTS.contains(point)) {
        return;
      }
      latch(reached, point).countDown();
      try {
        latch(resume, point).await(300, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
