package dev.thaw.cli;

import dev.thaw.api.SweepSummary;
import dev.thaw.api.TrialState;

/**
 * A sweep's progress on one line, e.g. {@code [########............] 7/12 running 2 queued 3 pruned
 * 1 failed 0 best val_accuracy 0.912 (#4)}; an ended sweep adds its state and reason.
 */
final class ProgressLine {
  static final int BAR_WIDTH = 20;

  private ProgressLine() {}

  static String render(SweepSummary s) {
    return render(s, BAR_WIDTH);
  }

  /**
   * @param width the number of characters between the brackets
   */
  static String render(SweepSummary s, int width) {
    int ended = s.ended();
    StringBuilder line = new StringBuilder();
    line.append(bar(ended, s.maxTrials(), width)).append(' ');
    line.append(ended).append('/').append(s.maxTrials());
    line.append("  running ").append(s.count(TrialState.RUNNING));
    line.append("  queued ").append(s.count(TrialState.QUEUED));
    line.append("  pruned ").append(s.count(TrialState.PRUNED));
    line.append("  failed ").append(s.count(TrialState.FAILED));
    if (s.count(TrialState.CANCELLED) > 0) {
      line.append("  cancelled ").append(s.count(TrialState.CANCELLED));
    }
    if (s.best() != null) {
      line.append("  best ")
          .append(s.objective().metric())
          .append(' ')
          .append(Values.format(s.best().objective()))
          .append(" (#")
          .append(s.best().number())
          .append(')');
    }
    if (s.state().ended()) {
      line.append("  ").append(s.state().key());
      if (s.stopReason() != null) {
        line.append(": ").append(s.stopReason());
      }
    }
    return line.toString();
  }

  /** {@code [#####.....]}: the ended share of {@code total}, rounded down, full only at the end. */
  static String bar(int done, int total, int width) {
    int filled = total <= 0 ? 0 : (int) Math.min(width, (long) done * width / total);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
  }
}
