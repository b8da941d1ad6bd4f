package dev.thaw.orchestrator;

import dev.thaw.api.SweepState;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.protocol.Lease;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.Metric;
import dev.thaw.trial.Stage;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.List;

/** Sweep files and results for orchestrator tests (scratch source model: 4 groups, no files). */
public final class TestSweeps {
  private TestSweeps() {}

  /** A grid sweep of {@code trials} trials over freeze_depth x lr_head. */
  public static String grid(String name, int parallel, int retries, String extra) {
    return """
        name: %s
        objective: {metric: val_accuracy}
        method: grid
        parallel_trials: %d
        retries: %d
        max_failed_trials: 2
        parameters:
          freeze_depth: {values: [0, 1, 2, 3]}
          lr_head: {values: [1.0e-3, 3.0e-3]}
          epochs: {value: 3}
        task:
          source_model: scratch:thaw-cnn
          target: {dataset: mnist, labels_per_class: 5}
        %s
        """
        .formatted(name, parallel, retries, extra);
  }

  /**
   * A tiny real sweep for end-to-end tests: 2 trials of 2 epochs on 80 MNIST images, a small
   * scratch backbone; seconds of real DJL training.
   */
  public static String tiny(String name) {
    return """
        name: %s
        objective: {metric: val_accuracy}
        method: grid
        parameters:
          freeze_depth: {values: [0, 2]}
          lr_head: {value: 3.0e-3}
          lr_backbone: {value: 1.0e-3}
          epochs: {value: 2}
          batch_size: {value: 16}
        task:
          source_model: scratch:thaw-cnn-w4
          target: {dataset: mnist, labels_per_class: 8}
        """
        .formatted(name);
  }

  /**
   * A tiny sweep of the real ImageNet MobileNetV2 at 32 x 32: 2 trials (freeze 5 and all) of a
   * head-only warm-up epoch and one fine-tuning epoch on 80 MNIST images, with a backbone slice,
   * frozen BatchNorm and flips; needs the zoo's weights ({@code ./thaw models fetch}).
   */
  public static String tinyZoo(String name) {
    return """
        name: %s
        objective: {metric: val_accuracy}
        method: grid
        parameters:
          freeze_depth: {values: [5, all]}
          lr_head: {value: 3.0e-3}
          lr_backbone: {slice: [1.0e-5, 1.0e-3]}
          warmup_epochs: {value: 1}
          epochs: {value: 1}
          batch_size: {value: 16}
          input_size: {value: 32}
          augmentation: {value: flip}
          batch_norm: {value: frozen}
        early_stopping: {monitor: val_accuracy, patience: 2}
        task:
          source_model: zoo:mobilenet_v2
          target: {dataset: mnist, labels_per_class: 8, validation_fraction: 0.05}
        """
        .formatted(name);
  }

  /**
   * A 2 x 2 grid of one-epoch trials with a schedule.
   *
   * @param schedule the lines under {@code schedule:}, e.g. {@code cron: "0 0 2 * * ?"}
   */
  public static String scheduled(String name, String schedule) {
    return """
        name: %s
        objective: {metric: val_accuracy}
        method: grid
        parallel_trials: 4
        parameters:
          freeze_depth: {values: [0, 1]}
          lr_head: {values: [1.0e-3, 3.0e-3]}
          epochs: {value: 1}
        schedule:
        %s
        task:
          source_model: scratch:thaw-cnn
          target: {dataset: mnist, labels_per_class: 5}
        """
        .formatted(name, schedule.indent(2).stripTrailing());
  }

  /** An epoch with the given validation accuracy. */
  public static EpochMetrics epoch(int n, double valAccuracy) {
    return new EpochMetrics(
        n, Stage.FINE_TUNE, 1.0 - valAccuracy, 1.0 - valAccuracy, valAccuracy, 0.1, 100);
  }

  /** A result of the lease's trial with these epochs, as an honest worker reports it. */
  public static TrialResult result(Lease lease, List<EpochMetrics> epochs) {
    return result(lease.trial(), epochs);
  }

  /** A result of the stored trial with these epochs, as an honest worker reports it. */
  public static TrialResult result(TrialRecord trial, List<EpochMetrics> epochs) {
    return result(TrialSpec.fromJson(trial.specJson(), "trial " + trial.id()), epochs);
  }

  /** A result of the trial with these epochs: its id and configuration hash. */
  public static TrialResult result(TrialSpec trial, List<EpochMetrics> epochs) {
    EpochMetrics last = epochs.get(epochs.size() - 1);
    return TrialResult.builder()
        .trialId(trial.idOrHash())
        .configHash(trial.configHash())
        .monitor(Metric.VAL_ACCURACY)
        .bestValue(last.valAccuracy())
        .bestEpoch(last.epoch())
        .epochsRun(epochs.size())
        .stoppedEarly(false)
        .wallSeconds(1.0)
        .bestWeights("/tmp/none.params")
        .finalValLoss(last.valLoss())
        .finalValAccuracy(last.valAccuracy())
        .targetClasses(List.of("0", "1"))
        .trainExamples(10)
        .validationExamples(10)
        .groupLearningRates(List.of(1e-4, 1e-4, 1e-4, 1e-4))
        .epochs(epochs)
        .build();
  }

  /**
   * Cancels every running sweep, so that one test's queued trials never reach another's workers.
   */
  public static void cancelAll(SweepRepository sweeps, SweepService service) {
    QuarkusTransaction.requiringNew().call(() -> sweeps.all()).stream()
        .filter(s -> s.state() == SweepState.RUNNING)
        .forEach(s -> service.cancel(s.id()));
  }
}
