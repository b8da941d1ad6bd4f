package dev.thaw.trial;

/**
 * The figures of one finished epoch.
 *
 * @param epoch 1-based epoch number across all stages
 * @param stage the stage the epoch belongs to
 * @param trainLoss mean training loss over the epoch's batches
 * @param valLoss mean validation loss
 * @param valAccuracy validation accuracy in [0, 1]
 * @param epochSeconds wall time of the epoch, training and validation
 * @param samplesPerSecond training samples per second of training time
 */
public record EpochMetrics(
    int epoch,
    Stage stage,
    double trainLoss,
    double valLoss,
    double valAccuracy,
    double epochSeconds,
    double samplesPerSecond) {}
