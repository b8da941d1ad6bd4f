package dev.thaw.worker;

import dev.thaw.protocol.Failure;
import dev.thaw.protocol.Lease;
import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialResult;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a worker's events, one line each, through SLF4J. The default {@link WorkerListener}. */
public final class WorkerLog implements WorkerListener {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerAgent.class);

  @Override
  public void leased(Lease lease) {
    LOG.info(WorkerLines.leased(lease));
  }

  @Override
  public void epoch(Lease lease, EpochMetrics metrics) {
    LOG.info(WorkerLines.epoch(lease, metrics));
  }

  @Override
  public void featureCache(Lease lease, FeatureCacheStats stats) {
    if (stats.anyStage()) {
      LOG.info(WorkerLines.featureCache(lease, stats));
    }
  }

  @Override
  public void finished(
      Lease lease, TrialOutcome outcome, TrialResult result, Failure failure, String detail) {
    String line = WorkerLines.finished(lease, outcome, result, failure, detail);
    if (outcome == TrialOutcome.COMPLETED || outcome == TrialOutcome.STOPPED) {
      LOG.info(line);
    } else {
      LOG.warn(line);
    }
  }

  @Override
  public void orchestratorUnavailable(String message) {
    LOG.warn("{}; still trying", message);
  }

  @Override
  public void heartbeatFailed(Lease lease, String message) {
    LOG.warn(String.format(Locale.ROOT, "heartbeat of trial %s: %s", lease.trialId(), message));
  }

  @Override
  public void exiting(WorkerSummary summary) {
    LOG.info(WorkerLines.exiting(summary));
  }
}
