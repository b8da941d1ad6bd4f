package dev.thaw.train;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.SourceModels;
import dev.thaw.model.TransferNetwork;
import dev.thaw.trial.TargetSpec;

/**
 * Where a {@link FineTuner} gets a trial's data and network: from disk every time ({@link
 * #FROM_DISK}), or from a worker's cache of the task it is running.
 */
public interface TrialInputs {
  /** Loads the data and opens the source model anew for every trial. */
  TrialInputs FROM_DISK =
      new TrialInputs() {
        @Override
        public TrialData data(TargetSpec target, Shape input, long splitSeed) {
          return TrialData.load(target, input, splitSeed);
        }

        @Override
        public TransferNetwork network(
            SourceModelRef ref, Device device, int targetClasses, double dropout) {
          return SourceModels.open(ref, device, targetClasses, dropout);
        }
      };

  /**
   * The target data, resized to the backbone's input and split.
   *
   * @param target the dataset and split settings
   * @param input the backbone's input shape (C, H, W)
   * @param splitSeed the seed of the train/validation split
   */
  TrialData data(TargetSpec target, Shape input, long splitSeed);

  /**
   * Readies what {@link #network} will need for this source model, before the engine is seeded for
   * the trial: whatever loading a source model draws from the engine's random numbers (a zoo
   * model's shape probe initialises randomly) then does not shift the trial's head initialisation
   * and dropout, so a worker's first trial of a task repeats exactly as a later one. Does nothing
   * by default.
   */
  default void prepare(SourceModelRef ref, Device device) {}

  /**
   * A network the caller owns and closes: the source model's pretrained weights, never weights a
   * previous trial trained, and a fresh head. The engine is seeded before the call, so the head's
   * initialisation is reproducible.
   */
  TransferNetwork network(SourceModelRef ref, Device device, int targetClasses, double dropout);
}
