package dev.thaw.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * When the chaos benchmark strikes, by the sweep's completed trials (as the orchestrator counts
 * them): a {@code kill -9} of a random worker four times, a SIGTERM of another once, the MLflow
 * outage once, the orchestrator's restart once, spread over the first three quarters of the sweep
 * so the last quarter runs on what recovered.
 */
final class ChaosSchedule {
  /** What happens. */
  enum Kind {
    /** {@code kill -9} of a random worker, then a replacement with the same worker id. */
    KILL_WORKER,
    /** SIGTERM of a random worker (it hands its trial back), then a replacement. */
    TERM_WORKER,
    /** MLflow stopped, started again on the same store and port after the outage. */
    MLFLOW_OUTAGE,
    /** {@code kill -9} of the orchestrator, started again on the same port and store. */
    RESTART_ORCHESTRATOR
  }

  /** One strike, once {@code atCompleted} trials have completed. */
  record Event(int atCompleted, Kind kind) {}

  private static final double[] AT = {0.08, 0.17, 0.25, 0.33, 0.45, 0.58, 0.75};
  private static final Kind[] KINDS = {
    Kind.KILL_WORKER,
    Kind.TERM_WORKER,
    Kind.MLFLOW_OUTAGE,
    Kind.KILL_WORKER,
    Kind.RESTART_ORCHESTRATOR,
    Kind.KILL_WORKER,
    Kind.KILL_WORKER
  };

  private ChaosSchedule() {}

  /**
   * The strikes for a sweep of {@code trials} trials, in order (for 24: 2, 5, 6, 8, 11, 14, 18).
   */
  static List<Event> forTrials(int trials) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < AT.length; i++) {
      events.add(new Event(Math.max(1, (int) Math.ceil(AT[i] * trials)), KINDS[i]));
    }
    return events;
  }
}
