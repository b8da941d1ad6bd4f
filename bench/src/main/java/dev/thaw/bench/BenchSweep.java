package dev.thaw.bench;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The sweep file the lease benchmark submits: a grid over freeze_depth (5 values) x batch_size (as
 * many values as needed), one epoch, on the scratch source model (4 groups, no files needed), with
 * parallel_trials high enough for every simulated worker and no early termination.
 */
final class BenchSweep {
  static final int PARALLEL_TRIALS = 1_000;
  private static final int DEPTHS = 5;

  private BenchSweep() {}

  /** The number of trials {@link #grid} makes for about {@code trials}: a multiple of 5. */
  static int trials(int trials) {
    return DEPTHS * batchSizes(trials);
  }

  static String grid(String name, int trials) {
    String sizes =
        IntStream.rangeClosed(1, batchSizes(trials))
            .mapToObj(Integer::toString)
            .collect(Collectors.joining(", "));
    return """
        name: lease-bench-%s
        objective: {metric: val_accuracy, goal: maximize}
        method: grid
        parallel_trials: %d
        retries: 0
        parameters:
          freeze_depth: {values: [0, 1, 2, 3, 4]}
          batch_size: {values: [%s]}
          epochs: {value: 1}
        task:
          source_model: scratch:thaw-cnn
          target: {dataset: mnist, labels_per_class: 5}
        """
        .formatted(name, PARALLEL_TRIALS, sizes);
  }

  private static int batchSizes(int trials) {
    return (trials + DEPTHS - 1) / DEPTHS;
  }
}
