package dev.thaw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.thaw.sweep.EarlyTerminationSpec;
import dev.thaw.sweep.SweepLoader;
import dev.thaw.sweep.SweepSpec;
import dev.thaw.sweep.SweepValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's sweep file is one the orchestrator accepts, with the trials it promises. */
class BenchSweepTest {
  @Test
  void gridIsValidAndHasTheAnnouncedTrials() {
    String yaml = BenchSweep.grid("h2-measure-64-0", 1_000);
    assertEquals(List.of(), SweepValidator.withGroups(4).validate(yaml));
    SweepSpec spec = SweepLoader.load(yaml).spec();
    assertEquals(1_000, spec.maxTrials());
    assertEquals(BenchSweep.trials(1_000), spec.maxTrials());
    assertEquals(BenchSweep.PARALLEL_TRIALS, spec.parallelTrials());
  }

  @Test
  void trialCountRoundsUpToWholeRowsOfFreezeDepths() {
    assertEquals(1_005, BenchSweep.trials(1_001));
    String yaml = BenchSweep.grid("odd", 1_001);
    assertEquals(1_005, SweepLoader.load(yaml).spec().maxTrials());
  }

  @Test
  void noEarlyTerminationSoNoTrialIsToldToStop() {
    SweepSpec spec = SweepLoader.load(BenchSweep.grid("x", 100)).spec();
    assertInstanceOf(EarlyTerminationSpec.None.class, spec.earlyTermination());
  }
}
