package dev.thaw.sweep.termination;

import java.util.Objects;

/**
 * A termination rule's answer for one trial at one epoch.
 *
 * @param stop whether to stop the trial now (it becomes PRUNED)
 * @param reason why, for people: logs, the dashboard, the trial's MLflow tags
 */
public record Decision(boolean stop, String reason) {
  public Decision {
    Objects.requireNonNull(reason, "reason");
  }

  /** Let the trial go on. */
  public static Decision proceed(String reason) {
    return new Decision(false, reason);
  }

  /** Stop the trial. */
  public static Decision stop(String reason) {
    return new Decision(true, reason);
  }
}
