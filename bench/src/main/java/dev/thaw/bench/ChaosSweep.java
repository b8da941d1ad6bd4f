package dev.thaw.bench;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The chaos benchmark's sweep file: a grid of short real trials, freeze_depth (4 values) x lr_head
 * (2) x batch_size (as many values as needed), each {@value #EPOCHS} epochs of {@code
 * scratch:thaw-cnn} on {@value #LABELS_PER_CLASS} MNIST images per class (5% of MNIST validates):
 * 4-20 s a trial on one CPU thread of a busy 2-core machine, long enough for a worker to be killed
 * in the middle of one, short enough for the sweep to end in a few minutes. Retries are generous (a
 * trial whose worker is killed several times must still complete) and {@code parallel_trials}
 * leaves room for the leases of killed workers that have not expired yet.
 */
final class ChaosSweep {
  /** Grid points per batch size: freeze_depth 0..3 x two head rates. */
  static final int POINTS_PER_BATCH_SIZE = 8;

  static final int RETRIES = 10;
  static final int PARALLEL_TRIALS = 6;
  static final int EPOCHS = 5;
  static final int LABELS_PER_CLASS = 400;

  private ChaosSweep() {}

  /**
   * @param trials a multiple of {@link #POINTS_PER_BATCH_SIZE}
   * @param experiment the MLflow experiment; the server is the orchestrator's own ({@code
   *     MLFLOW_TRACKING_URI}), which a sweep file may not name unless it is allow-listed
   */
  static String yaml(String name, int trials, String experiment) {
    if (trials < POINTS_PER_BATCH_SIZE || trials % POINTS_PER_BATCH_SIZE != 0) {
      throw new IllegalArgumentException(
          "trials must be a multiple of " + POINTS_PER_BATCH_SIZE + " (got " + trials + ")");
    }
    String sizes =
        IntStream.range(0, trials / POINTS_PER_BATCH_SIZE)
            .mapToObj(i -> Integer.toString(16 + 8 * i))
            .collect(Collectors.joining(", "));
    return """
        name: %s
        objective: {metric: val_accuracy, goal: maximize}
        method: grid
        parallel_trials: %d
        retries: %d
        max_failed_trials: %d
        parameters:
          freeze_depth: {values: [0, 1, 2, 3]}
          lr_head: {values: [1e-3, 3e-3]}
          batch_size: {values: [%s]}
          epochs: {value: %d}
        task:
          source_model: scratch:thaw-cnn
          target: {dataset: mnist, labels_per_class: %d, validation_fraction: 0.05}
        mlflow: {experiment: '%s'}
        """
        .formatted(
            name, PARALLEL_TRIALS, RETRIES, trials, sizes, EPOCHS, LABELS_PER_CLASS, experiment);
  }
}
