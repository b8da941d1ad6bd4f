package dev.thaw.orchestrator.leases;

import static dev.thaw.orchestrator.TestSweeps.epoch;
import static dev.thaw.orchestrator.TestSweeps.grid;
import static dev.thaw.orchestrator.TestSweeps.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.orchestrator.TestSweeps;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.trial.FeatureReuse;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker that says it holds frozen-prefix features gets the trial that reuses the deepest of
 * them, within the sweep fair share picks, against the real store (in-memory H2 under the test
 * profile).
 */
@QuarkusTest
class CacheAwareDispatchTest {
  @Inject LeaseService leases;
  @Inject SweepService sweeps;
  @Inject SweepRepository sweepRepo;
  @Inject TrialRepository trialRepo;

  @BeforeEach
  @AfterEach
  void noOtherSweepRuns() {
    TestSweeps.cancelAll(sweepRepo, sweeps);
  }

  private static LeaseRequest worker(String id, List<String> held) {
    return new LeaseRequest(id, "test-host", "cpu()", held);
  }

  private SweepRecord submit(String name, int parallel) {
    // 8 trials: freeze depth 0..3 x two head rates, queued in the grid's shuffled order.
    return sweeps.submit(grid(name, parallel, 0, ""), "test");
  }

  /** The task every trial of a sweep shares (same source, data, split and input size). */
  private String taskOf(SweepRecord sweep) {
    Lease probe = leases.lease(worker("probe-" + sweep.name(), List.of())).orElseThrow();
    leases.handBack(probe.leaseId(), new dev.thaw.protocol.HandBack("probe"));
    return FeatureReuse.task(probe.trial());
  }

  private static int depthOf(Lease lease) {
    return lease.trial().freezeDepth().groups();
  }

  @Test
  void aWorkerHoldingAPrefixGetsTheTrialThatReusesTheDeepest() {
    SweepRecord s = submit("reuse", 8);
    String task = taskOf(s);

    Lease deep = leases.lease(worker("w1", List.of(FeatureReuse.hint(task, 3)))).orElseThrow();
    assertEquals(3, depthOf(deep), "depth 3 held: a trial freezing 3 groups");
    Lease mid =
        leases
            .lease(worker("w2", List.of(FeatureReuse.hint(task, 2), "0123456789abcdef@4")))
            .orElseThrow();
    assertTrue(depthOf(mid) >= 2, "depth 2 held: a trial freezing at least 2 (got " + mid + ")");
  }

  @Test
  void aPrefixOfAnotherTaskChangesNothing() {
    SweepRecord s = submit("reuse-none", 8);
    taskOf(s);
    String lowest =
        QuarkusTransaction.requiringNew().call(() -> trialRepo.queued(s.id(), 1).get(0).id());
    Lease other =
        leases.lease(worker("w1", List.of(FeatureReuse.hint("0123456789abcdef", 3)))).orElseThrow();
    assertEquals(lowest, other.trialId(), "the queue's lowest-numbered trial, as for any worker");
  }

  @Test
  void theCacheNeverOverridesFairShareBetweenSweeps() {
    SweepRecord a = submit("fair-cache-a", 4);
    SweepRecord b = submit("fair-cache-b", 4);
    String taskA = taskOf(a);
    List<String> holdsA = List.of(FeatureReuse.hint(taskA, 3));
    Lease first = leases.lease(worker("w1", holdsA)).orElseThrow();
    Lease second = leases.lease(worker("w2", holdsA)).orElseThrow();
    assertEquals(
        List.of(a.id(), b.id()).stream().sorted().toList(),
        List.of(first.sweepId(), second.sweepId()).stream().sorted().toList(),
        "one trial each, whatever the workers hold");
  }

  @Test
  void whatAHeartbeatReportsChoosesTheTrialLeasedWithTheResult() {
    SweepRecord s = submit("reuse-next", 8);
    String task = taskOf(s);
    Lease first = leases.lease(worker("w1", List.of())).orElseThrow();
    List<String> holds = List.of(FeatureReuse.hint(task, 3));
    leases.heartbeat(first.leaseId(), new Heartbeat(List.of(epoch(1, 0.5)), holds));
    Lease next =
        leases
            .completeAndLease(first.leaseId(), result(first, List.of(epoch(1, 0.5))))
            .orElseThrow()
            .toLease();
    // The grid has two trials freezing 3 groups; the first lease took at most one of them.
    assertEquals(3, depthOf(next), "the trial after it reuses the prefix the heartbeat named");
  }

  @Test
  void malformedHintsAreRefusedNamingTheEntry() {
    submit("bad-hints", 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> leases.lease(worker("w1", List.of("0123456789abcdef@2", "../../etc@1"))));
    assertTrue(e.getMessage().startsWith("cached_prefixes[1]: "), e.getMessage());
    List<String> tooMany =
        java.util.stream.IntStream.range(0, FeatureReuse.MAX_HINTS + 1)
            .mapToObj(i -> FeatureReuse.hint("0123456789abcdef", i))
            .toList();
    e = assertThrows(IllegalArgumentException.class, () -> leases.lease(worker("w1", tooMany)));
    assertTrue(e.getMessage().contains("at most " + FeatureReuse.MAX_HINTS), e.getMessage());
  }
}
