package dev.thaw.trial;

/**
 * Early stopping within a trial, checked after every fine-tuning epoch.
 *
 * @param monitor the metric watched (default val_loss)
 * @param mode min or max (default: the metric's natural direction)
 * @param patience epochs without improvement before stopping (default 3)
 * @param minDelta smallest change that counts as an improvement (default 0)
 * @param restoreBestWeights end the trial with the best epoch's weights (default true)
 */
public record EarlyStoppingSpec(
    Metric monitor,
    Metric.Mode mode,
    Integer patience,
    Double minDelta,
    Boolean restoreBestWeights) {
  public EarlyStoppingSpec {
    if (monitor == null) {
      monitor = Metric.VAL_LOSS;
    }
    if (mode == null) {
      mode = monitor.naturalMode();
    }
    if (patience == null) {
      patience = 3;
    }
    if (minDelta == null) {
      minDelta = 0.0;
    }
    if (restoreBestWeights == null) {
      restoreBestWeights = true;
    }
  }
}
