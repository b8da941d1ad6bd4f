package dev.thaw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.bench.ChaosSchedule.Event;
import dev.thaw.bench.ChaosSchedule.Kind;
import dev.thaw.sweep.SweepLoader;
import dev.thaw.sweep.SweepSpec;
import dev.thaw.sweep.SweepValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chaos benchmark's sweep file, its schedule and how it tells a busy worker. */
class ChaosSweepTest {
  @Test
  void gridIsValidWithTheAnnouncedTrialsAndRetries() {
    String yaml = ChaosSweep.yaml("chaos-1", 24, "chaos-1");
    assertEquals(List.of(), SweepValidator.withGroups(4).validate(yaml));
    SweepSpec spec = SweepLoader.load(yaml).spec();
    assertEquals(24, spec.maxTrials());
    assertEquals(ChaosSweep.RETRIES, spec.retries());
    assertEquals(ChaosSweep.PARALLEL_TRIALS, spec.parallelTrials());
  }

  @Test
  void trialsMustFillWholeBatchSizes() {
    assertThrows(IllegalArgumentException.class, () -> ChaosSweep.yaml("x", 20, "x"));
  }

  @Test
  void scheduleStrikesInTheFirstThreeQuartersInOrder() {
    List<Event> events = ChaosSchedule.forTrials(24);
    assertEquals(List.of(2, 5, 6, 8, 11, 14, 18), events.stream().map(Event::atCompleted).toList());
    assertEquals(4, events.stream().filter(e -> e.kind() == Kind.KILL_WORKER).count());
    assertEquals(1, events.stream().filter(e -> e.kind() == Kind.TERM_WORKER).count());
    assertEquals(1, events.stream().filter(e -> e.kind() == Kind.MLFLOW_OUTAGE).count());
    assertEquals(1, events.stream().filter(e -> e.kind() == Kind.RESTART_ORCHESTRATOR).count());
  }

  @Test
  void aWorkerHoldsALeaseWhenItsLastTrialLineIsOne() {
    String leased = "leased trial t2 of sweep s (attempt 1, lease l2)";
    String epoch = "  trial t2 epoch 1 train: train_loss 2.0 val_loss 2.0 val_acc 20.00% 1.0 s";
    String done = "completed trial t1: best val_loss=2.0 at epoch 3 of 3; 9.9 s";
    assertTrue(ChaosCluster.holdsLease(List.of(done, leased, epoch)));
    assertFalse(ChaosCluster.holdsLease(List.of(leased, done)));
    assertFalse(ChaosCluster.holdsLease(List.of(leased, "handed back trial t2: stopped")));
    assertFalse(ChaosCluster.holdsLease(List.of("worker w on cpu() pulls from http://h:1")));
  }
}
