package dev.thaw.trial;

import java.util.List;

/**
 * Builds a {@link TrialResult} by name: {@code TrialResult.builder().trialId(id).bestEpoch(3)
 * ...build()}. Each setter is named after the result's field it sets (see {@link TrialResult} for
 * what each means); a field left unset is null, zero or false.
 */
public final class TrialResultBuilder {
  private String trialId;
  private String configHash;
  private Metric monitor;
  private double bestValue;
  private int bestEpoch;
  private int epochsRun;
  private boolean stoppedEarly;
  private String stopReason;
  private double wallSeconds;
  private String bestWeights;
  private double finalValLoss;
  private double finalValAccuracy;
  private List<String> targetClasses;
  private int trainExamples;
  private int validationExamples;
  private List<Double> groupLearningRates;
  private List<EpochMetrics> epochs;

  TrialResultBuilder() {}

  TrialResultBuilder(TrialResult r) {
    trialId = r.trialId();
    configHash = r.configHash();
    monitor = r.monitor();
    bestValue = r.bestValue();
    bestEpoch = r.bestEpoch();
    epochsRun = r.epochsRun();
    stoppedEarly = r.stoppedEarly();
    stopReason = r.stopReason();
    wallSeconds = r.wallSeconds();
    bestWeights = r.bestWeights();
    finalValLoss = r.finalValLoss();
    finalValAccuracy = r.finalValAccuracy();
    targetClasses = r.targetClasses();
    trainExamples = r.trainExamples();
    validationExamples = r.validationExamples();
    groupLearningRates = r.groupLearningRates();
    epochs = r.epochs();
  }

  public TrialResultBuilder trialId(String trialId) {
    this.trialId = trialId;
    return this;
  }

  public TrialResultBuilder configHash(String configHash) {
    this.configHash = configHash;
    return this;
  }

  public TrialResultBuilder monitor(Metric monitor) {
    this.monitor = monitor;
    return this;
  }

  public TrialResultBuilder bestValue(double bestValue) {
    this.bestValue = bestValue;
    return this;
  }

  public TrialResultBuilder bestEpoch(int bestEpoch) {
    this.bestEpoch = bestEpoch;
    return this;
  }

  public TrialResultBuilder epochsRun(int epochsRun) {
    this.epochsRun = epochsRun;
    return this;
  }

  public TrialResultBuilder stoppedEarly(boolean stoppedEarly) {
    this.stoppedEarly = stoppedEarly;
    return this;
  }

  public TrialResultBuilder stopReason(String stopReason) {
    this.stopReason = stopReason;
    return this;
  }

  public TrialResultBuilder wallSeconds(double wallSeconds) {
    this.wallSeconds = wallSeconds;
    return this;
  }

  public TrialResultBuilder bestWeights(String bestWeights) {
    this.bestWeights = bestWeights;
    return this;
  }

  public TrialResultBuilder finalValLoss(double finalValLoss) {
    this.finalValLoss = finalValLoss;
    return this;
  }

  public TrialResultBuilder finalValAccuracy(double finalValAccuracy) {
    this.finalValAccuracy = finalValAccuracy;
    return this;
  }

  public TrialResultBuilder targetClasses(List<String> targetClasses) {
    this.targetClasses = targetClasses;
    return this;
  }

  public TrialResultBuilder trainExamples(int trainExamples) {
    this.trainExamples = trainExamples;
    return this;
  }

  public TrialResultBuilder validationExamples(int validationExamples) {
    this.validationExamples = validationExamples;
    return this;
  }

  public TrialResultBuilder groupLearningRates(List<Double> groupLearningRates) {
    this.groupLearningRates = groupLearningRates;
    return this;
  }

  public TrialResultBuilder epochs(List<EpochMetrics> epochs) {
    this.epochs = epochs;
    return this;
  }

  /** The result. */
  public TrialResult build() {
    return new TrialResult(
        trialId,
        configHash,
        monitor,
        bestValue,
        bestEpoch,
        epochsRun,
        stoppedEarly,
        stopReason,
        wallSeconds,
        bestWeights,
        finalValLoss,
        finalValAccuracy,
        targetClasses,
        trainExamples,
        validationExamples,
        groupLearningRates,
        epochs);
  }
}
