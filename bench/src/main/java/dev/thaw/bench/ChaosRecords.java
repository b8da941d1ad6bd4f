package dev.thaw.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the chaos benchmark reads back after the sweep, from the orchestrator's store and from
 * MLflow: the input of {@link ChaosCount}. Nothing here is the benchmark's own bookkeeping.
 */
final class ChaosRecords {
  private ChaosRecords() {}

  /**
   * A row of the store's {@code trial} table.
   *
   * @param gridIndex the trial's grid point (each point must end up completed exactly once)
   * @param state the stored state, upper case ({@code COMPLETED}, {@code QUEUED}, ...)
   * @param hasResult whether a result is stored ({@code result_json} not null)
   * @param epochs the epochs of the stored result: per epoch, the metric keys with a finite value
   */
  record Trial(String id, int gridIndex, String state, boolean hasResult, List<Epoch> epochs) {
    boolean completedWithResult() {
      return "COMPLETED".equals(state) && hasResult && !epochs.isEmpty();
    }
  }

  /** One epoch of a stored result: its number and the metric keys it has a finite value for. */
  record Epoch(int epoch, Set<String> keys) {}

  /**
   * A row of the store's {@code attempt} table: one lease.
   *
   * @param leaseId the attempt's id, also the MLflow child run's {@code thaw.lease_id} tag
   * @param state {@code COMPLETED}, {@code EXPIRED}, {@code FAILED}, {@code HANDED_BACK}, {@code
   *     ACTIVE}
   */
  record Attempt(String leaseId, String trialId, int number, String workerId, String state) {}

  /**
   * A child run in the sweep's MLflow experiment (runs without a {@code thaw.trial_id} tag, the
   * parent, are left out).
   *
   * @param status MLflow's {@code FINISHED}, {@code FAILED}, {@code KILLED} or {@code RUNNING}
   * @param steps per metric key, the steps logged
   */
  record Run(
      String runId,
      String trialId,
      String leaseId,
      String status,
      Map<String, Set<Integer>> steps) {
    boolean finished() {
      return "FINISHED".equals(status);
    }
  }
}
