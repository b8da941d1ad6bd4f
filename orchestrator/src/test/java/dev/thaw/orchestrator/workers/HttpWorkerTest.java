package dev.thaw.orchestrator.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.api.SweepState;
import dev.thaw.api.TrialState;
import dev.thaw.orchestrator.TestSweeps;
import dev.thaw.orchestrator.TestTokens;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.protocol.Failure;
import dev.thaw.protocol.HandBack;
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
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote worker's view: {@link WorkerAgent} with the real HTTP client against the real
 * orchestrator's REST API (no embedded worker in the default test profile), running a tiny real
 * sweep. Checks that the wire contract holds in both directions (JSON names, enums, 204s).
 */
@QuarkusTest
class HttpWorkerTest {
  @TestHTTPResource("/")
  URL orchestrator;

  @Inject SweepService sweeps;
  @Inject SweepRepository sweepRepo;
  @Inject TrialRepository trialRepo;

  @Test
  void aWorkerOverHttpRunsATinySweepToTheEnd(@TempDir Path runs) {
    TestSweeps.cancelAll(sweepRepo, sweeps);
    SweepRecord s = sweeps.submit(TestSweeps.tiny("http-e2e"), "http.yaml");
    CountingSource source = new CountingSource(TestTokens.workerSource(orchestrator));
    WorkerAgent agent =
        WorkerAgent.builder()
            .setSource(source)
            .optDevice(Devices.parse("cpu"))
            .optWorkerId("http-test-worker")
            .optRunsDir(runs)
            .optMaxTrials(2)
            .optIdleExit(Duration.ofSeconds(30))
            .build();
    WorkerSummary summary = agent.run();
    assertEquals(WorkerSummary.Exit.MAX_TRIALS, summary.exit());
    assertEquals(2, summary.outcomes().get(TrialOutcome.COMPLETED), summary.toString());
    assertEquals(
        List.of("lease", "completeAndLease -> lease", "complete"),
        source.calls,
        "the first result brought the second trial");

    SweepRecord done =
        QuarkusTransaction.requiringNew().call(() -> sweepRepo.find(s.id()).orElseThrow());
    assertEquals(SweepState.COMPLETED, done.state(), done.stopReason());
    List<TrialRecord> trials =
        QuarkusTransaction.requiringNew().call(() -> trialRepo.ofSweep(s.id()));
    for (TrialRecord t : trials) {
      assertEquals(TrialState.COMPLETED, t.state(), t.reason());
      assertNotNull(t.objective());
      assertEquals(2, t.epochsDone());
    }
  }

  @Test
  void aStoppedWorkersTrialGoesBackToTheQueueWithoutUsingARetry(@TempDir Path runs) {
    TestSweeps.cancelAll(sweepRepo, sweeps);
    SweepRecord s =
        sweeps.submit(
            TestSweeps.tiny("http-hand-back").replace("method: grid", "method: grid\nretries: 0"),
            "http.yaml");
    CountingSource source = new CountingSource(TestTokens.workerSource(orchestrator));
    WorkerAgent[] stopping = new WorkerAgent[1];
    stopping[0] =
        WorkerAgent.builder()
            .setSource(source)
            .optDevice(Devices.parse("cpu"))
            .optWorkerId("http-stopping-worker")
            .optRunsDir(runs.resolve("stopping"))
            .optListener(
                new WorkerListener() {
                  @Override
                  public void epoch(Lease lease, EpochMetrics metrics) {
                    Thread.ofPlatform().start(stopping[0]::stop); // Ctrl-C after an epoch
                  }
                })
            .build();
    WorkerSummary stopped = stopping[0].run();
    assertEquals(1, stopped.outcomes().get(TrialOutcome.HANDED_BACK), stopped.toString());
    assertEquals(List.of("lease", "handBack"), source.calls);
    List<TrialRecord> afterStop =
        QuarkusTransaction.requiringNew().call(() -> trialRepo.ofSweep(s.id()));
    assertTrue(
        afterStop.stream().allMatch(t -> t.state() == TrialState.QUEUED),
        "with retries 0 the handed-back trial is queued, not failed: " + afterStop);

    WorkerSummary finished =
        WorkerAgent.builder()
            .setSource(TestTokens.workerSource(orchestrator))
            .optDevice(Devices.parse("cpu"))
            .optWorkerId("http-finishing-worker")
            .optRunsDir(runs.resolve("finishing"))
            .optMaxTrials(2)
            .optIdleExit(Duration.ofSeconds(30))
            .build()
            .run();
    assertEquals(2, finished.outcomes().get(TrialOutcome.COMPLETED), finished.toString());
    SweepRecord done =
        QuarkusTransaction.requiringNew().call(() -> sweepRepo.find(s.id()).orElseThrow());
    assertEquals(SweepState.COMPLETED, done.state(), done.stopReason());
  }

  /** The real HTTP source, recording every call but heartbeats (and whether a lease came). */
  private static final class CountingSource implements TrialSource {
    private final TrialSource real;
    final List<String> calls = new CopyOnWriteArrayList<>();

    CountingSource(TrialSource real) {
      this.real = real;
    }

    @Override
    public Optional<Lease> lease(LeaseRequest request) {
      calls.add("lease");
      return real.lease(request);
    }

    @Override
    public HeartbeatReply heartbeat(String leaseId, Heartbeat heartbeat) {
      return real.heartbeat(leaseId, heartbeat);
    }

    @Override
    public void complete(String leaseId, TrialResult result) {
      calls.add("complete");
      real.complete(leaseId, result);
    }

    @Override
    public Optional<Lease> completeAndLease(String leaseId, TrialResult result, LeaseRequest next) {
      Optional<Lease> lease = real.completeAndLease(leaseId, result, next);
      calls.add("completeAndLease -> " + (lease.isPresent() ? "lease" : "none"));
      return lease;
    }

    @Override
    public void fail(String leaseId, Failure failure) {
      calls.add("fail");
      real.fail(leaseId, failure);
    }

    @Override
    public void handBack(String leaseId, HandBack handBack) {
      calls.add("handBack");
      real.handBack(leaseId, handBack);
    }
  }
}
