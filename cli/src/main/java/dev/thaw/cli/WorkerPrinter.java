package dev.thaw.cli;

import dev.thaw.protocol.Failure;
import dev.thaw.protocol.Lease;
import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialResult;
import dev.thaw.worker.TrialOutcome;
import dev.thaw.worker.WorkerLines;
import dev.thaw.worker.WorkerListener;
import dev.thaw.worker.WorkerSummary;
import java.io.PrintWriter;

/** Prints a worker's events, one line each, as {@code thaw worker} shows them. */
final class WorkerPrinter implements WorkerListener {
  private final PrintWriter out;

  WorkerPrinter(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void leased(Lease lease) {
    print(WorkerLines.leased(lease));
  }

  @Override
  public void epoch(Lease lease, EpochMetrics metrics) {
    print("  " + WorkerLines.epoch(lease, metrics));
  }

  @Override
  public void featureCache(Lease lease, FeatureCacheStats stats) {
    if (stats.anyStage()) {
      print("  " + WorkerLines.featureCache(lease, stats));
    }
  }

  @Override
  public void finished(
      Lease lease, TrialOutcome outcome, TrialResult result, Failure failure, String detail) {
    print(WorkerLines.finished(lease, outcome, result, failure, detail));
  }

  @Override
  public void orchestratorUnavailable(String message) {
    print("warning: " + message + "; still trying");
  }

  @Override
  public void heartbeatFailed(Lease lease, String message) {
    print("warning: heartbeat of trial " + lease.trialId() + ": " + message);
  }

  @Override
  public void exiting(WorkerSummary summary) {
    print(WorkerLines.exiting(summary));
  }

  private synchronized void print(String line) {
    out.println(line);
    out.flush();
  }
}
