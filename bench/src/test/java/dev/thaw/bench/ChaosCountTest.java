package dev.thaw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.thaw.bench.ChaosCount.Tally;
import dev.thaw.bench.ChaosRecords.Attempt;
import dev.thaw.bench.ChaosRecords.Epoch;
import dev.thaw.bench.ChaosRecords.Run;
import dev.thaw.bench.ChaosRecords.Trial;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chaos benchmark's counts from made-up store rows and MLflow runs. */
class ChaosCountTest {
  private static final Set<String> KEYS = Set.of("train_loss", "val_accuracy");
  private static final List<Epoch> TWO_EPOCHS = List.of(new Epoch(1, KEYS), new Epoch(2, KEYS));
  private static final Map<String, Set<Integer>> ALL_STEPS =
      Map.of("train_loss", Set.of(1, 2), "val_accuracy", Set.of(1, 2));

  private static Trial done(String id, int point) {
    return new Trial(id, point, "COMPLETED", true, TWO_EPOCHS);
  }

  private static Attempt attempt(String lease, String trial, int n, String state) {
    return new Attempt(lease, trial, n, "w-1", state);
  }

  private static Run run(String lease, String trial, String status) {
    return new Run("run-" + lease, trial, lease, status, ALL_STEPS);
  }

  @Test
  void aCleanSweepCountsNothing() {
    Tally t =
        ChaosCount.of(
            2,
            List.of(done("a", 0), done("b", 1)),
            List.of(attempt("a1", "a", 1, "COMPLETED"), attempt("b1", "b", 1, "COMPLETED")),
            List.of(run("a1", "a", "FINISHED"), run("b1", "b", "FINISHED")));
    assertEquals(2, t.completed());
    assertEquals(0, t.lostOrDuplicated());
    assertEquals(0, t.retriesUsed());
    assertEquals(8, t.metricPointsExpected()); // 2 trials x 2 epochs x 2 keys
    assertEquals(0, t.metricsMissing());
  }

  @Test
  void killedAttemptsAreRetriesAndHandBacksAreNot() {
    Tally t =
        ChaosCount.of(
            1,
            List.of(done("a", 0)),
            List.of(
                attempt("a1", "a", 1, "EXPIRED"),
                attempt("a2", "a", 2, "HANDED_BACK"),
                attempt("a3", "a", 3, "FAILED"),
                attempt("a4", "a", 4, "COMPLETED")),
            List.of(
                run("a1", "a", "FAILED"),
                run("a2", "a", "KILLED"),
                run("a3", "a", "FAILED"),
                run("a4", "a", "FINISHED")));
    assertEquals(2, t.retriesUsed());
    assertEquals(1, t.attemptsBy().get("HANDED_BACK"));
    assertEquals(0, t.lostOrDuplicated());
  }

  @Test
  void aRunStillRunningAfterItsAttemptEndedIsLeftRunningButNotLostOrDuplicated() {
    Tally t =
        ChaosCount.of(
            1,
            List.of(done("a", 0)),
            List.of(attempt("a1", "a", 1, "EXPIRED"), attempt("a2", "a", 2, "COMPLETED")),
            List.of(run("a1", "a", "RUNNING"), run("a2", "a", "FINISHED")));
    assertEquals(1, t.runsLeftRunning());
    assertEquals(1, t.retriesUsed());
    assertEquals(0, t.lostOrDuplicated());
  }

  @Test
  void pointsWithoutACompletedResultAreLostWhateverTheReason() {
    Tally t =
        ChaosCount.of(
            5,
            List.of(
                done("a", 0),
                new Trial("b", 1, "RUNNING", false, List.of()),
                new Trial("c", 2, "FAILED", false, List.of()),
                new Trial("d", 3, "COMPLETED", false, List.of())),
            List.of(attempt("a1", "a", 1, "COMPLETED")),
            List.of(run("a1", "a", "FINISHED")));
    assertEquals(1, t.completed());
    assertEquals(4, t.lost());
    assertEquals(
        Map.of("running", 1, "failed", 1, "completed without a result", 1, "not created", 1),
        t.lostBy());
    assertEquals(4, t.lostOrDuplicated());
  }

  @Test
  void aSecondAcceptedReportAndAPointProposedTwiceAreDuplicates() {
    Tally t =
        ChaosCount.of(
            1,
            List.of(done("a", 0), done("a-again", 0)),
            List.of(
                attempt("a1", "a", 1, "COMPLETED"),
                attempt("a2", "a", 2, "COMPLETED"),
                attempt("x1", "a-again", 1, "COMPLETED")),
            List.of(run("a1", "a", "FINISHED"), run("x1", "a-again", "FINISHED")));
    assertEquals(0, t.lost());
    assertEquals(1, t.duplicatedResults());
    assertEquals(1, t.duplicatedTrials());
    assertEquals(2, t.lostOrDuplicated());
  }

  @Test
  void runsMadeTwiceForOneLeaseAndTwoFinishedAttemptsOfATrialAreDuplicates() {
    Tally t =
        ChaosCount.of(
            1,
            List.of(done("a", 0)),
            List.of(attempt("a1", "a", 1, "EXPIRED"), attempt("a2", "a", 2, "COMPLETED")),
            List.of(
                // The expired attempt's worker finished training and its run says FINISHED.
                run("a1", "a", "FINISHED"),
                // The completed attempt's run was created twice by its spool.
                run("a2", "a", "FINISHED"),
                new Run("run-a2-again", "a", "a2", "RUNNING", Map.of())));
    assertEquals(1, t.duplicatedRunsPerAttempt());
    assertEquals(1, t.duplicatedFinishedRuns());
    assertEquals(2, t.lostOrDuplicated());
    assertEquals(0, t.metricsMissing());
  }

  @Test
  void missingMetricsAreCountedPerEpochAndKeyOfTheCompletedAttemptsRun() {
    Tally t =
        ChaosCount.of(
            3,
            List.of(done("a", 0), done("b", 1), done("c", 2)),
            List.of(
                attempt("a1", "a", 1, "COMPLETED"),
                attempt("b1", "b", 1, "EXPIRED"),
                attempt("b2", "b", 2, "COMPLETED"),
                attempt("c1", "c", 1, "COMPLETED")),
            List.of(
                // Epoch 2's val_accuracy never arrived.
                new Run(
                    "r-a1",
                    "a",
                    "a1",
                    "FINISHED",
                    Map.of("train_loss", Set.of(1, 2), "val_accuracy", Set.of(1))),
                // Only the expired attempt has a run: b's completed attempt has none.
                run("b1", "b", "FAILED"),
                run("c1", "c", "FINISHED")));
    assertEquals(12, t.metricPointsExpected());
    assertEquals(1 + 4, t.metricsMissing());
    assertEquals(1, t.runsMissing());
    assertEquals(0, t.lostOrDuplicated());
  }
}
