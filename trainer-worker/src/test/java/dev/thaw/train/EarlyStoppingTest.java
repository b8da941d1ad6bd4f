package dev.thaw.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.thaw.trial.Metric;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Early stopping driven by made-up metric sequences, no training. */
class EarlyStoppingTest {

  /** Feeds the values from epoch 1; returns the epoch at which it said STOP, or 0. */
  private static int stopEpoch(EarlyStopping es, double... values) {
    for (int i = 0; i < values.length; i++) {
      if (es.offer(i + 1, values[i], true) == EarlyStopping.Verdict.STOP) {
        return i + 1;
      }
    }
    return 0;
  }

  @Test
  void stopsPatienceEpochsAfterTheBestLoss() {
    var es = new EarlyStopping(Metric.Mode.MIN, 0.0, 2);
    assertEquals(5, stopEpoch(es, 1.0, 0.8, 0.7, 0.75, 0.71, 0.6));
    assertEquals(3, es.bestEpoch());
    assertEquals(0.7, es.bestValue());
  }

  @Test
  void anImprovementResetsThePatience() {
    var es = new EarlyStopping(Metric.Mode.MIN, 0.0, 2);
    // Without the reset after epoch 3 it would stop at epoch 4.
    assertEquals(5, stopEpoch(es, 1.0, 1.1, 0.9, 0.95, 0.96, 0.97));
    assertEquals(3, es.bestEpoch());
  }

  @Test
  void minDeltaIgnoresTinyImprovements() {
    var es = new EarlyStopping(Metric.Mode.MIN, 0.05, 2);
    // 0.97 and 0.96 improve on 1.0 by less than 0.05: no improvement counted.
    assertEquals(3, stopEpoch(es, 1.0, 0.97, 0.96, 0.5));
    assertEquals(1, es.bestEpoch());
  }

  @Test
  void maxModeFollowsAccuracy() {
    var es = new EarlyStopping(Metric.Mode.MAX, 0.0, 1);
    assertEquals(4, stopEpoch(es, 0.5, 0.6, 0.7, 0.69, 0.9));
    assertEquals(3, es.bestEpoch());
  }

  @Test
  void zeroPatienceNeverStopsButTracksTheBest() {
    var es = new EarlyStopping(Metric.Mode.MIN, 0.0, 0);
    assertEquals(0, stopEpoch(es, 1.0, 2.0, 3.0, 4.0, 5.0));
    assertEquals(1, es.bestEpoch());
  }

  @Test
  void nanNeverImproves() {
    var es = new EarlyStopping(Metric.Mode.MIN, 0.0, 2);
    assertEquals(3, stopEpoch(es, 1.0, Double.NaN, Double.NaN));
  }

  @Test
  void warmupEpochsCompeteForTheBestButDoNotSpendPatience() {
    var es = new EarlyStopping(Metric.Mode.MIN, 0.0, 2);
    List<EarlyStopping.Verdict> verdicts = new ArrayList<>();
    verdicts.add(es.offer(1, 0.5, false)); // warm-up: best
    verdicts.add(es.offer(2, 0.6, false)); // warm-up: worse, not counted
    verdicts.add(es.offer(3, 0.7, true));
    verdicts.add(es.offer(4, 0.7, true));
    assertEquals(
        List.of(
            EarlyStopping.Verdict.IMPROVED,
            EarlyStopping.Verdict.CONTINUE,
            EarlyStopping.Verdict.CONTINUE,
            EarlyStopping.Verdict.STOP),
        verdicts);
    assertEquals(1, es.bestEpoch());
  }
}
