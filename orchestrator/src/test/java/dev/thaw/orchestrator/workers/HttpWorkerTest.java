package dev.thaw.orchestrator.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.thaw.orchestrator.TestSweeps;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.sweep.api.SweepState;
import dev.thaw.sweep.api.TrialState;
import dev.thaw.train.Devices;
import dev.thaw.worker.HttpTrialSource;
import dev.thaw.worker.TrialOutcome;
import dev.thaw.worker.WorkerAgent;
import dev.thaw.worker.WorkerSummary;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    WorkerAgent agent =
        WorkerAgent.builder()
            .setSource(new HttpTrialSource(orchestrator.toString()))
            .optDevice(Devices.parse("cpu"))
            .optWorkerId("http-test-worker")
            .optRunsDir(runs)
            .optMaxTrials(2)
            .optIdleExit(Duration.ofSeconds(30))
            .build();
    WorkerSummary summary = agent.run();
    assertEquals(WorkerSummary.Exit.MAX_TRIALS, summary.exit());
    assertEquals(2, summary.outcomes().get(TrialOutcome.COMPLETED), summary.toString());

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
}
