package dev.thaw.sweep.termination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every termination rule promises, checked over many random sweeps. */
class TerminationRuleContractTest {
  private static final int SWEEPS = 80;

  static Stream<TerminationRule> rules() {
    return Stream.of(
        new NoTermination(),
        new MedianStoppingRule(1, 0),
        new MedianStoppingRule(3, 1),
        new MedianStoppingRule(5, 2),
        new AshaRule(1, 2, 1),
        new AshaRule(1, 3, 1),
        new AshaRule(2, 3, 2),
        new AshaRule(1, 4, 3));
  }

  /**
   * A random sweep: 2 to 30 trials of 1 to 12 epochs in any state; values on a coarse grid so that
   * ties happen, with about one NaN in twelve.
   */
  private static List<TrialProgress> randomSweep(Random random) {
    int n = 2 + random.nextInt(29);
    List<TrialProgress> trials = new ArrayList<>();
    TrialProgress.State[] states = TrialProgress.State.values();
    for (int i = 0; i < n; i++) {
      List<Double> values = new ArrayList<>();
      int epochs = 1 + random.nextInt(12);
      double level = random.nextGaussian();
      for (int e = 0; e < epochs; e++) {
        values.add(
            random.nextInt(12) == 0
                ? Double.NaN
                : Math.round((level + 0.3 * random.nextGaussian()) * 10) / 10.0);
      }
      trials.add(new TrialProgress("t" + i, i, values, states[random.nextInt(states.length)]));
    }
    return trials;
  }

  private static boolean bestAt(TrialProgress trial, int epoch, List<TrialProgress> sweep) {
    double mine = ObjectiveValues.rank(trial.bestUpTo(epoch));
    return sweep.stream()
        .filter(t -> t.reached(epoch))
        .allMatch(t -> ObjectiveValues.rank(t.bestUpTo(epoch)) <= mine);
  }

  @ParameterizedTest
  @MethodSource("rules")
  void neverStopsTheTrialThatIsBestAtItsEpochAndIsDeterministic(TerminationRule rule) {
    Random random = new Random(20260101);
    int bestChecked = 0;
    int stops = 0;
    for (int s = 0; s < SWEEPS; s++) {
      List<TrialProgress> sweep = randomSweep(random);
      List<TrialProgress> shuffled = new ArrayList<>(sweep);
      Collections.shuffle(shuffled, random);
      for (TrialProgress full : sweep) {
        for (int e = 1; e <= full.epochs(); e++) {
          TrialProgress trial = full.upTo(e);
          Decision d = rule.decide(trial, sweep);
          assertFalse(d.reason().isBlank());
          assertEquals(d, rule.decide(trial, shuffled), "order of the sweep's trials matters");
          List<TrialProgress> without = sweep.stream().filter(t -> t != full).toList();
          assertEquals(d, rule.decide(trial, without), "the trial itself in the list matters");
          if (bestAt(trial, e, sweep)) {
            bestChecked++;
            assertFalse(d.stop(), () -> "stopped the best trial " + trial + ": " + d.reason());
          }
          stops += d.stop() ? 1 : 0;
        }
      }
    }
    assertTrue(bestChecked > 100, "too few best trials checked: " + bestChecked);
    if (rule instanceof NoTermination) {
      assertEquals(0, stops);
    } else {
      assertTrue(stops > 100, rule + " stopped only " + stops + " times: the test is vacuous");
    }
  }
}
