package dev.thaw.mlflow;

import java.util.Map;

/**
 * A run as the server reported it to {@link Tracker#searchRuns}.
 *
 * @param id the server's run id
 * @param status MLflow's status name: RUNNING, SCHEDULED, FINISHED, FAILED or KILLED
 * @param tags every tag of the run
 */
public record FoundRun(String id, String status, Map<String, String> tags) {
  public FoundRun {
    tags = Map.copyOf(tags);
  }

  /** True while the run has not ended (RUNNING or SCHEDULED). */
  public boolean active() {
    return "RUNNING".equals(status) || "SCHEDULED".equals(status);
  }
}
