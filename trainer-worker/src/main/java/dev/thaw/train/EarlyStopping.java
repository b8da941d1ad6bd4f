package dev.thaw.train;

import dev.thaw.trial.EarlyStoppingSpec;
import dev.thaw.trial.Metric;

/**
 * Follows the monitored metric epoch by epoch: says when it reached a new best (so the trainer
 * checkpoints the weights) and when it has gone {@code patience} counted epochs without improving
 * by more than {@code minDelta} (so the trainer stops). Epochs that do not count toward patience
 * (the warm-up stage) still compete for the best.
 */
public final class EarlyStopping {
  private final Metric.Mode mode;
  private final double minDelta;
  private final int patience;
  private double bestValue = Double.NaN;
  private int bestEpoch;
  private int sinceImprovement;

  /**
   * @param mode direction of improvement
   * @param minDelta smallest change that counts as an improvement
   * @param patience counted epochs without improvement before stopping; 0 never stops
   */
  public EarlyStopping(Metric.Mode mode, double minDelta, int patience) {
    this.mode = mode;
    this.minDelta = minDelta;
    this.patience = patience;
  }

  /** Tracks the trial's monitor; stops only when the spec enables early stopping. */
  public static EarlyStopping forTrial(Metric.Mode mode, EarlyStoppingSpec spec) {
    return spec == null
        ? new EarlyStopping(mode, 0.0, 0)
        : new EarlyStopping(spec.mode(), spec.minDelta(), spec.patience());
  }

  /** What one epoch's value means. */
  public enum Verdict {
    /** A new best: checkpoint the weights. */
    IMPROVED,
    /** No improvement, patience left. */
    CONTINUE,
    /** Patience exhausted: stop training. */
    STOP
  }

  /**
   * Records an epoch's value.
   *
   * @param epoch 1-based epoch
   * @param value the monitored metric
   * @param counts whether this epoch counts toward patience
   */
  public Verdict offer(int epoch, double value, boolean counts) {
    if (mode.improves(value, bestValue, minDelta)) {
      bestValue = value;
      bestEpoch = epoch;
      sinceImprovement = 0;
      return Verdict.IMPROVED;
    }
    if (counts) {
      sinceImprovement++;
    }
    return patience > 0 && sinceImprovement >= patience ? Verdict.STOP : Verdict.CONTINUE;
  }

  /** The best value so far (NaN before the first epoch). */
  public double bestValue() {
    return bestValue;
  }

  /** The epoch of the best value (0 before the first epoch). */
  public int bestEpoch() {
    return bestEpoch;
  }
}
