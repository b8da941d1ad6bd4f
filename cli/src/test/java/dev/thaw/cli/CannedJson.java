package dev.thaw.cli;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * JSON text as the orchestrator writes it (snake_case keys, nulls left out; see its {@code
 * SweepViews} and {@code ApiError}), written out by hand so the tests check the key names.
 */
final class CannedJson {
  private CannedJson() {}

  /**
   * A SweepSummary of a grid sweep maximizing val_accuracy.
   *
   * @param counts queued, running, completed, pruned, failed, cancelled
   * @param best a {@link #trial} or null
   */
  static String summary(
      String id,
      String name,
      String state,
      int maxTrials,
      int[] counts,
      String best,
      String stopReason) {
    return """
        {"id": "%s", "name": "%s", "state": "%s", "method": "grid",
         "objective": {"metric": "val_accuracy", "goal": "maximize"},
         "max_trials": %d, "parallel_trials": 2, "max_failed_trials": 3, "retries": 1,
         "counts": {"queued": %d, "running": %d, "completed": %d, "pruned": %d, "failed": %d,
                    "cancelled": %d},
         %s"created_at": "2026-11-23T10:00:00Z"%s}
        """
        .formatted(
            id,
            name,
            state,
            maxTrials,
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            counts[4],
            counts[5],
            best == null ? "" : "\"best\": " + best + ", ",
            stopReason == null
                ? ""
                : ", \"finished_at\": \"2026-11-23T10:05:00Z\", \"stop_reason\": \""
                    + stopReason
                    + "\"");
  }

  /** A running summary with no best trial. */
  static String running(String id, String name, int maxTrials, int[] counts) {
    return summary(id, name, "running", maxTrials, counts, null, null);
  }

  /**
   * A TrialView.
   *
   * @param objective null for a trial without a value yet
   * @param params the params object, e.g. {@code {"freeze_depth": 1, "epochs": 4}}
   */
  static String trial(
      int number, String state, int attempts, int epochs, Double objective, String params) {
    return """
        {"id": "t%d", "number": %d, "state": "%s", "attempts": %d,
         "config_hash": "abc%d", "grid_index": %d, "params": %s, %s"epochs_done": %d,
         "started_at": "2026-11-23T10:00:01Z"}
        """
        .formatted(
            number,
            number,
            state,
            attempts,
            number,
            number,
            params,
            objective == null ? "" : "\"objective\": " + objective + ", \"best_epoch\": 2, ",
            epochs);
  }

  static String detail(String summary, String... trials) {
    return "{\"sweep\": " + summary + ", \"trials\": " + array(trials) + "}";
  }

  static String leaderboard(String sweepId, String... trials) {
    return """
        {"sweep_id": "%s", "metric": "val_accuracy", "goal": "maximize", "trials": %s}
        """
        .formatted(sweepId, array(trials));
  }

  static String array(String... items) {
    return Arrays.stream(items).collect(Collectors.joining(", ", "[", "]"));
  }

  static String apiError(String code, String message, String... details) {
    return """
        {"error": "%s", "message": "%s", "details": %s}
        """
        .formatted(
            code,
            message,
            Arrays.stream(details)
                .map(d -> "\"" + d + "\"")
                .collect(Collectors.joining(", ", "[", "]")));
  }
}
