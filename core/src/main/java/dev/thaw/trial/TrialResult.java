package dev.thaw.trial;

import java.util.List;

/**
 * What a finished trial produced. Code builds one by name with {@link #builder()}.
 *
 * @param trialId the trial's id
 * @param configHash canonical hash of the resolved spec
 * @param monitor the metric that picked the best epoch
 * @param bestValue its value at the best epoch
 * @param bestEpoch 1-based epoch of the best value
 * @param epochsRun epochs actually run, over all stages
 * @param stoppedEarly whether training ended before the planned epochs
 * @param stopReason why it stopped early ({@code early_stopping} or {@code stopped_by_observer}),
 *     null otherwise
 * @param wallSeconds wall time from start to result, data loading included
 * @param bestWeights path of the best epoch's weights ({@code .params})
 * @param finalValLoss validation loss of the weights the trial ends with
 * @param finalValAccuracy validation accuracy of the weights the trial ends with
 * @param targetClasses the target class names, in label order
 * @param trainExamples training examples used
 * @param validationExamples validation examples used
 * @param groupLearningRates the resolved backbone rate of each group, g0 first
 * @param epochs per-epoch figures
 */
public record TrialResult(
    String trialId,
    String configHash,
    Metric monitor,
    double bestValue,
    int bestEpoch,
    int epochsRun,
    boolean stoppedEarly,
    String stopReason,
    double wallSeconds,
    String bestWeights,
    double finalValLoss,
    double finalValAccuracy,
    List<String> targetClasses,
    int trainExamples,
    int validationExamples,
    List<Double> groupLearningRates,
    List<EpochMetrics> epochs) {

  /** A builder of a result, every field set by name. */
  public static TrialResultBuilder builder() {
    return new TrialResultBuilder();
  }

  /** A builder holding this result's values, to copy it with some of them changed. */
  public TrialResultBuilder toBuilder() {
    return new TrialResultBuilder(this);
  }

  /** A copy that stopped early for {@code reason}, e.g. because the orchestrator said stop. */
  public TrialResult withStopReason(String reason) {
    return toBuilder().stoppedEarly(true).stopReason(reason).build();
  }
}
