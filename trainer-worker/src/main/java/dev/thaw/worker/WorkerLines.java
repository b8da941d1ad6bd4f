package dev.thaw.worker;

import dev.thaw.protocol.Failure;
import dev.thaw.protocol.Lease;
import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialResult;
import java.util.Locale;

/** The one-line wording of each worker event, shared by the log and {@code thaw worker}. */
public final class WorkerLines {
  private WorkerLines() {}

  /** {@code leased trial t-3 of sweep quickstart (attempt 1, lease 9f2c...)}. */
  public static String leased(Lease lease) {
    return String.format(
        Locale.ROOT,
        "leased trial %s of sweep %s (attempt %d, lease %s)",
        lease.trialId(),
        lease.sweepName(),
        lease.attempt(),
        lease.leaseId());
  }

  /**
   * {@code trial t-3 epoch 2 fine_tune: train_loss 0.5123 val_loss 0.4410 val_acc 86.20% 1.2 s}.
   */
  public static String epoch(Lease lease, EpochMetrics m) {
    return String.format(
        Locale.ROOT,
        "trial %s epoch %d %s: train_loss %.4f val_loss %.4f val_acc %.2f%% %.1f s",
        lease.trialId(),
        m.epoch(),
        m.stage().key(),
        m.trainLoss(),
        m.valLoss(),
        100 * m.valAccuracy(),
        m.epochSeconds());
  }

  /**
   * {@code trial t-3 feature cache: 2 hit(s), 0 partial, 2 miss(es), 12.3 MB of features, prefix
   * 1.4 s}, and why any stage ran uncached.
   */
  public static String featureCache(Lease lease, FeatureCacheStats s) {
    String line =
        String.format(
            Locale.ROOT,
            "trial %s feature cache: %d hit(s), %d partial, %d miss(es), %.1f MB of features,"
                + " prefix %.1f s",
            lease.trialId(),
            s.hits(),
            s.partialHits(),
            s.misses(),
            s.bytes() / 1e6,
            s.prefixSeconds());
    return s.uncached().isEmpty() ? line : line + "; uncached: " + String.join("; ", s.uncached());
  }

  /** How a trial ended: completed, stopped, failed, dropped or handed back, with the figures. */
  public static String finished(
      Lease lease, TrialOutcome outcome, TrialResult r, Failure failure, String detail) {
    return switch (outcome) {
      case COMPLETED ->
          String.format(
              Locale.ROOT,
              "completed trial %s: best %s=%.4f at epoch %d of %d%s; %.1f s",
              lease.trialId(),
              r.monitor().key(),
              r.bestValue(),
              r.bestEpoch(),
              r.epochsRun(),
              r.stoppedEarly() ? " (" + r.stopReason() + ")" : "",
              r.wallSeconds());
      case STOPPED ->
          String.format(
              Locale.ROOT,
              "stopped trial %s by the orchestrator (%s) after %d epoch(s): best %s=%.4f; %.1f s",
              lease.trialId(),
              detail,
              r.epochsRun(),
              r.monitor().key(),
              r.bestValue(),
              r.wallSeconds());
      case FAILED ->
          String.format(
              Locale.ROOT,
              "failed trial %s (%s): %s",
              lease.trialId(),
              failure.retryable() ? "retryable" : "not retryable",
              failure.reason());
      case DROPPED -> String.format(Locale.ROOT, "dropped trial %s: %s", lease.trialId(), detail);
      case HANDED_BACK ->
          String.format(Locale.ROOT, "handed back trial %s: %s", lease.trialId(), failure.reason());
    };
  }

  /** {@code worker exits: idle timeout reached; 3 trials: 2 completed, 1 stopped, ...}. */
  public static String exiting(WorkerSummary s) {
    return String.format(
        Locale.ROOT,
        "worker exits: %s; %d trial(s): %d completed, %d stopped, %d failed, %d dropped,"
            + " %d handed back",
        s.exit().describe(),
        s.trials(),
        s.count(TrialOutcome.COMPLETED),
        s.count(TrialOutcome.STOPPED),
        s.count(TrialOutcome.FAILED),
        s.count(TrialOutcome.DROPPED),
        s.count(TrialOutcome.HANDED_BACK));
  }
}
