package dev.thaw.sweep.termination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrialProgressTest {
  @Test
  void bestUpToIgnoresNanAndLaterEpochs() {
    TrialProgress t = TrialProgress.running("t", 0, Double.NaN, 0.4, Double.NaN, 0.2, 0.9);
    assertTrue(Double.isNaN(t.bestUpTo(1)));
    assertEquals(0.4, t.bestUpTo(2));
    assertEquals(0.4, t.bestUpTo(4));
    assertEquals(0.9, t.bestUpTo(5));
    assertEquals(-3.0, TrialProgress.running("n", 0, -3.0, Double.NEGATIVE_INFINITY).bestUpTo(2));
    assertThrows(IllegalArgumentException.class, () -> t.bestUpTo(6));
    assertThrows(IllegalArgumentException.class, () -> t.bestUpTo(0));
  }

  @Test
  void upToCutsTheHistoryAndMarksItRunning() {
    TrialProgress t = TrialProgress.completed("t", 3, 0.1, 0.2, 0.3);
    assertEquals(TrialProgress.running("t", 3, 0.1, 0.2), t.upTo(2));
    assertEquals(0, t.upTo(0).epochs());
    assertFalse(t.reached(4));
  }

  @Test
  void rejectsMissingValuesWithTheEpoch() {
    List<Double> values = Arrays.asList(0.1, null);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrialProgress("t7", 7, values, TrialProgress.State.RUNNING));
    assertEquals("trial t7: value after epoch 2 is null (use NaN)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrialProgress.running("t", -1, 0.1));
  }

  @Test
  void onlyRunningIsUnfinished() {
    assertFalse(TrialProgress.State.RUNNING.isFinished());
    assertTrue(TrialProgress.State.COMPLETED.isFinished());
    assertTrue(TrialProgress.State.PRUNED.isFinished());
  }
}
