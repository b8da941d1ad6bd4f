package dev.thaw.orchestrator.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.api.SweepState;
import dev.thaw.api.TrialState;
import dev.thaw.orchestrator.TestSweeps;
import dev.thaw.orchestrator.store.MetricRepository;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.trial.EpochMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * End to end in one JVM: a tiny real sweep (real DJL training on MNIST) run by the embedded worker,
 * from submission to a completed sweep with every epoch stored.
 */
@QuarkusTest
@TestProfile(EmbeddedWorkerTest.OneEmbeddedWorker.class)
class EmbeddedWorkerTest {
  /** The test profile with the embedded worker switched on and long leases. */
  public static class OneEmbeddedWorker implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("thaw.workers.embedded", "1", "thaw.leases.seconds", "30");
    }
  }

  @Inject SweepService sweeps;
  @Inject SweepRepository sweepRepo;
  @Inject TrialRepository trialRepo;
  @Inject MetricRepository metricRepo;
  @Inject EmbeddedWorker worker;

  @Test
  void theEmbeddedWorkerRunsATinySweepToTheEnd() throws Exception {
    TestSweeps.cancelAll(sweepRepo, sweeps);
    assertTrue(worker.running());
    SweepRecord s = sweeps.submit(TestSweeps.tiny("embedded-e2e"), "embedded-e2e.yaml");
    long deadline = System.currentTimeMillis() + 180_000;
    SweepRecord now = s;
    while (now.state() == SweepState.RUNNING && System.currentTimeMillis() < deadline) {
      Thread.sleep(500);
      now = QuarkusTransaction.requiringNew().call(() -> sweepRepo.find(s.id()).orElseThrow());
    }
    assertEquals(SweepState.COMPLETED, now.state(), now.stopReason());
    List<TrialRecord> trials =
        QuarkusTransaction.requiringNew().call(() -> trialRepo.ofSweep(s.id()));
    assertEquals(2, trials.size());
    for (TrialRecord t : trials) {
      assertEquals(TrialState.COMPLETED, t.state(), t.reason());
      assertEquals(1, t.attempts());
      assertNotNull(t.objective());
      assertTrue(t.objective() > 0.1, "better than chance on 10 classes: " + t.objective());
      assertNotNull(t.resultJson());
      List<EpochMetrics> epochs =
          QuarkusTransaction.requiringNew().call(() -> metricRepo.of(t.id(), 1));
      assertEquals(2, epochs.size(), "both epochs stored");
      assertEquals(2, t.epochsDone());
    }
  }
}
