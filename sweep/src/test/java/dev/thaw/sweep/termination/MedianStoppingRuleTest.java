package dev.thaw.sweep.termination;

import static dev.thaw.sweep.termination.TrialProgress.completed;
import static dev.thaw.sweep.termination.TrialProgress.pruned;
import static dev.thaw.sweep.termination.TrialProgress.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MedianStoppingRuleTest {
  private static final double NAN = Double.NaN;
  private final MedianStoppingRule rule = new MedianStoppingRule(5, 1);

  /** Five completed trials of four epochs; their bests after epoch 2 are 0.6..1.0, median 0.8. */
  private static List<TrialProgress> fiveCompleted() {
    List<TrialProgress> trials = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      double top = 0.6 + 0.1 * i;
      trials.add(completed("c" + i, i, top - 0.2, top, top - 0.05, top + 0.01));
    }
    return trials;
  }

  @Test
  void stopsAClearlyBadTrialOnlyAfterTheWarmUp() {
    List<TrialProgress> sweep = fiveCompleted();
    TrialProgress bad = running("bad", 5, 0.1, 0.1, 0.1);

    Decision first = rule.decide(bad.upTo(1), sweep);
    assertFalse(first.stop());
    assertEquals("median: epoch 1 is within the warm-up of 1 epoch", first.reason());

    Decision second = rule.decide(bad.upTo(2), sweep);
    assertTrue(second.stop());
    assertEquals(
        "median: best 0.1 after epoch 2 is below the median 0.8 of 5 completed trials",
        second.reason());

    assertTrue(new MedianStoppingRule(5, 0).decide(bad.upTo(1), sweep).stop());
    assertFalse(new MedianStoppingRule(5, 2).decide(bad.upTo(2), sweep).stop());
    assertTrue(new MedianStoppingRule(5, 2).decide(bad.upTo(3), sweep).stop());
  }

  @Test
  void needsMinTrialsCompletedTrialsThatReachedTheEpoch() {
    TrialProgress bad = running("bad", 9, 0.1, 0.1);
    List<TrialProgress> sweep = new ArrayList<>(fiveCompleted());
    sweep.remove(0);
    // Running and pruned trials, however many, do not count; nor does a completed trial that
    // stopped (on its own early stopping) before epoch 2.
    sweep.add(running("r", 5, 0.9, 0.9, 0.9));
    sweep.add(pruned("p", 6, 0.2, 0.2));
    sweep.add(completed("short", 7, 0.95));

    Decision d = rule.decide(bad, sweep);
    assertFalse(d.stop());
    assertEquals("median: 4 completed trials reached epoch 2, the rule needs 5", d.reason());

    sweep.add(completed("fifth", 8, 0.5, 0.7));
    assertTrue(rule.decide(bad, sweep).stop());
  }

  @Test
  void neverStopsTheBestTrial() {
    TrialProgress best = running("best", 5, 0.5, 1.2, 0.3);
    for (int e = 1; e <= 3; e++) {
      assertFalse(rule.decide(best.upTo(e), fiveCompleted()).stop(), "epoch " + e);
    }
  }

  @Test
  void comparesTheBestSoFarNotTheLatestValue() {
    // 0.85 at epoch 2 is above the median 0.8; epoch 3's 0.1 does not undo it.
    TrialProgress dipped = running("dip", 5, 0.3, 0.85, 0.1);
    Decision d = rule.decide(dipped, fiveCompleted());
    assertFalse(d.stop());
    assertEquals(
        "median: best 0.85 after epoch 3 is not below the median 0.8 of 5 completed trials",
        d.reason());
  }

  @Test
  void aTrialEqualToTheMedianContinues() {
    // Completed bests after epoch 2: 0.6, 0.7, 0.8, 0.9, 1.0 (each exactly 0.6 + 0.1 i).
    List<TrialProgress> sweep = fiveCompleted();
    double median = sweep.get(2).bestUpTo(2);
    assertFalse(rule.decide(running("tie", 5, 0.0, median), sweep).stop());
    assertTrue(rule.decide(running("under", 5, 0.0, Math.nextDown(median)), sweep).stop());
  }

  @Test
  void evenCountUsesTheMeanOfTheMiddleTwo() {
    List<TrialProgress> sweep =
        List.of(
            completed("a", 0, 1.0),
            completed("b", 1, 2.0),
            completed("c", 2, 4.0),
            completed("d", 3, 5.0));
    MedianStoppingRule r = new MedianStoppingRule(4, 0);
    assertTrue(r.decide(running("t", 4, 2.9), sweep).stop());
    assertFalse(r.decide(running("t", 4, 3.0), sweep).stop());
  }

  @Test
  void nanIsTheWorstValueAndNeverCrashes() {
    List<TrialProgress> sweep = fiveCompleted();
    Decision diverged = rule.decide(running("nan", 5, NAN, NAN), sweep);
    assertTrue(diverged.stop());
    assertEquals(
        "median: best NaN after epoch 2 is below the median 0.8 of 5 completed trials",
        diverged.reason());

    // A NaN epoch in between is ignored for the best so far.
    assertFalse(rule.decide(running("gap", 5, 0.95, NAN), sweep).stop());

    // Completed trials that diverged rank lowest: three NaN of five put the median at NaN's rank,
    // and nothing is strictly below it.
    List<TrialProgress> mostlyDiverged = new ArrayList<>(sweep.subList(0, 2));
    for (int i = 0; i < 3; i++) {
      mostlyDiverged.add(completed("d" + i, 10 + i, NAN, NAN));
    }
    assertFalse(rule.decide(running("nan", 5, NAN, NAN), mostlyDiverged).stop());
    assertFalse(rule.decide(running("low", 5, -1e9, -1e9), mostlyDiverged).stop());
    // Two NaN of five: the median is the third best value, 0.6.
    List<TrialProgress> someDiverged = new ArrayList<>(sweep.subList(0, 3));
    someDiverged.add(completed("d0", 10, NAN, NAN));
    someDiverged.add(completed("d1", 11, NAN, NAN));
    assertTrue(rule.decide(running("t", 5, 0.5, 0.59), someDiverged).stop());
    assertFalse(rule.decide(running("t", 5, 0.5, 0.6), someDiverged).stop());
  }

  @Test
  void theTrialItselfInTheListChangesNothing() {
    TrialProgress bad = running("bad", 5, 0.1, 0.1);
    List<TrialProgress> with = new ArrayList<>(fiveCompleted());
    with.add(bad);
    assertEquals(rule.decide(bad, fiveCompleted()), rule.decide(bad, with));
    // Even a stale copy of itself marked completed (a store that lags) is not counted.
    List<TrialProgress> stale = new ArrayList<>(fiveCompleted().subList(0, 4));
    stale.add(completed("bad", 5, 0.1, 0.1));
    assertFalse(rule.decide(bad, stale).stop());
  }

  @Test
  void onlyRunningTrialsAreStopped() {
    TrialProgress done = completed("done", 5, 0.1, 0.1);
    Decision d = rule.decide(done, fiveCompleted());
    assertFalse(d.stop());
    assertEquals("median: trial is COMPLETED, not running", d.reason());
  }

  @Test
  void rejectsSettingsTheValidatorRejects() {
    assertEquals(
        "median: min_trials must be >= 1 (got 0)",
        assertThrows(IllegalArgumentException.class, () -> new MedianStoppingRule(0, 1))
            .getMessage());
    assertEquals(
        "median: warmup_epochs must be >= 0 (got -1)",
        assertThrows(IllegalArgumentException.class, () -> new MedianStoppingRule(1, -1))
            .getMessage());
  }
}
