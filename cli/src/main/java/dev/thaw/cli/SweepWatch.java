package dev.thaw.cli;

import dev.thaw.api.SweepState;
import dev.thaw.api.SweepSummary;
import java.time.Duration;

/** Follows a sweep until it ends, showing its {@link ProgressLine} after every poll. */
final class SweepWatch {
  private final OrchestratorClient client;
  private final Duration interval;
  private final LiveLine line;

  SweepWatch(OrchestratorClient client, Duration interval, LiveLine line) {
    this.client = client;
    this.interval = interval;
    this.line = line;
  }

  /** Polls every interval until the sweep has ended; returns its last summary. */
  SweepSummary follow(String id) throws InterruptedException {
    while (true) {
      SweepSummary s = client.detail(id).sweep();
      line.show(ProgressLine.render(s));
      if (s.state().ended()) {
        line.finish();
        return s;
      }
      Thread.sleep(interval);
    }
  }

  /** 0 when the sweep completed, 1 when it failed or was cancelled. */
  static int exitCode(SweepSummary ended) {
    return ended.state() == SweepState.COMPLETED ? 0 : 1;
  }

  /** A poll interval from {@code --interval SECONDS}. */
  static Duration interval(double seconds) {
    if (!(seconds > 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("--interval must be > 0 seconds (got " + seconds + ")");
    }
    return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
  }
}
