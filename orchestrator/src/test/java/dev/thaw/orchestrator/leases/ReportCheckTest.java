package dev.thaw.orchestrator.leases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.Metric;
import dev.thaw.trial.Stage;
import dev.thaw.trial.TrialResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportCheckTest {
  private static final LeaseTerms TERMS = new LeaseTerms("t-1", "abc", 4);

  private static EpochMetrics epoch(int n, double loss, double accuracy) {
    return new EpochMetrics(n, Stage.FINE_TUNE, loss, loss, accuracy, 1.5, 200);
  }

  private static TrialResult result(
      String id, String hash, double best, int bestEpoch, List<EpochMetrics> epochs) {
    EpochMetrics last = epochs.get(epochs.size() - 1);
    return TrialResult.builder()
        .trialId(id)
        .configHash(hash)
        .monitor(Metric.VAL_ACCURACY)
        .bestValue(best)
        .bestEpoch(bestEpoch)
        .epochsRun(epochs.size())
        .stoppedEarly(false)
        .wallSeconds(3.0)
        .bestWeights("/w/best.params")
        .finalValLoss(last.valLoss())
        .finalValAccuracy(last.valAccuracy())
        .targetClasses(List.of("a", "b"))
        .trainExamples(10)
        .validationExamples(4)
        .groupLearningRates(List.of(1e-4, 1e-3))
        .epochs(epochs)
        .build();
  }

  @Test
  void anHonestResultPassesAndSoDoesADivergedOne() {
    List<EpochMetrics> fine = List.of(epoch(1, 0.9, 0.5), epoch(2, 0.4, 0.8));
    assertEquals(List.of(), ReportCheck.ofResult(TERMS, result("t-1", "abc", 0.8, 2, fine)));
    // Diverged: NaN figures and no best epoch; a loss may overflow to +Infinity.
    List<EpochMetrics> diverged =
        List.of(epoch(1, Double.POSITIVE_INFINITY, 0.1), epoch(2, Double.NaN, Double.NaN));
    assertEquals(
        List.of(), ReportCheck.ofResult(TERMS, result("t-1", "abc", Double.NaN, 0, diverged)));
  }

  @Test
  void everyProblemIsNamedByItsField() {
    List<EpochMetrics> bad =
        List.of(epoch(2, 0.5, 0.5), epoch(2, -1, 0.5), epoch(3, 0.5, Double.NEGATIVE_INFINITY));
    List<String> problems = ReportCheck.ofResult(TERMS, result("t-2", "xyz", 1.2, 3, bad));
    assertEquals(
        List.of(
            "trial_id: 't-2' is not the leased trial 't-1'",
            "config_hash: 'xyz' is not the hash of the leased trial's spec ('abc')",
            "best_value: must be in [0, 1] or NaN (got 1.2)",
            "final_val_accuracy: must be in [0, 1] or NaN (got -Infinity)",
            "epochs[1].epoch: epochs must be in increasing order (got 2 after 2)",
            "epochs[1].train_loss: must be >= 0 or NaN (got -1.0)",
            "epochs[1].val_loss: must be >= 0 or NaN (got -1.0)",
            "epochs[2].val_accuracy: must be in [0, 1] or NaN (got -Infinity)"),
        problems);
  }

  @Test
  void moreEpochsThanTheSpecPlansAreRefused() {
    List<EpochMetrics> six =
        List.of(
            epoch(1, 1, 0.1),
            epoch(2, 1, 0.2),
            epoch(3, 1, 0.3),
            epoch(4, 1, 0.4),
            epoch(5, 1, 0.5),
            epoch(6, 1, 0.6));
    List<String> problems = ReportCheck.ofResult(TERMS, result("t-1", "abc", 0.6, 6, six));
    assertTrue(
        problems.contains("epochs_run: must be in [0, 4], the epochs the spec plans (got 6)"),
        problems.toString());
    assertTrue(
        problems.contains("epochs: 6 epochs reported, the spec plans 4"), problems.toString());
    assertTrue(
        problems.contains("epochs[4].epoch: must be in [1, 4], the epochs the spec plans (got 5)"),
        problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("best_epoch:")), problems.toString());
  }
}
