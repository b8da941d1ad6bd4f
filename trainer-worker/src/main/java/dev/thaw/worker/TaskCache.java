package dev.thaw.worker;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.SourceModelSnapshot;
import dev.thaw.model.SourceModels;
import dev.thaw.model.TransferNetwork;
import dev.thaw.train.TrialData;
import dev.thaw.train.TrialInputs;
import dev.thaw.trial.TargetSpec;

/**
 * A worker's memory of its current task: the target data and the source model's pretrained weights
 * stay loaded between trials, so the next trial of the same sweep starts training at once.
 *
 * <p>The data is kept for one (target, split seed, input shape); the weights for one model
 * directory or pretrained zoo model on one device, as a {@link SourceModelSnapshot} from which
 * every trial gets a fresh network. A different task replaces the entry. Scratch, TorchScript and
 * URL models are opened anew for every trial; a weights file that changed on disk is read again.
 */
public final class TaskCache implements TrialInputs, AutoCloseable {
  private record DataKey(TargetSpec target, Shape input) {}

  private DataKey dataKey;
  private TrialData data;
  private SourceModelSnapshot snapshot;
  private int dataLoads;
  private int modelLoads;

  @Override
  public synchronized TrialData data(TargetSpec target, Shape input, long splitSeed) {
    DataKey key = new DataKey(target.withSplitSeed(splitSeed), input);
    if (!key.equals(dataKey)) {
      data = null;
      data = TrialData.load(target, input, splitSeed);
      dataKey = key;
      dataLoads++;
    }
    return data;
  }

  /** Captures the snapshot now, before the trial seeds the engine (capturing draws from it). */
  @Override
  public synchronized void prepare(SourceModelRef ref, Device device) {
    if (SourceModelSnapshot.supports(ref)) {
      ensureSnapshot(ref, device);
    }
  }

  @Override
  public synchronized TransferNetwork network(
      SourceModelRef ref, Device device, int targetClasses, double dropout) {
    if (!SourceModelSnapshot.supports(ref)) {
      return SourceModels.open(ref, device, targetClasses, dropout);
    }
    ensureSnapshot(ref, device);
    return snapshot.open(targetClasses, dropout);
  }

  private void ensureSnapshot(SourceModelRef ref, Device device) {
    if (snapshot == null
        || !snapshot.ref().equals(ref)
        || !snapshot.device().equals(device)
        || !snapshot.isCurrent()) {
      dropSnapshot();
      snapshot = SourceModelSnapshot.capture(ref, device);
      modelLoads++;
    }
  }

  /** How many times target data was loaded from disk (once per task). */
  public synchronized int dataLoads() {
    return dataLoads;
  }

  /** How many times a source model's weights were read from disk (once per task). */
  public synchronized int modelLoads() {
    return modelLoads;
  }

  /** Forgets the data and frees the weights. */
  @Override
  public synchronized void close() {
    dataKey = null;
    data = null;
    dropSnapshot();
  }

  private void dropSnapshot() {
    if (snapshot != null) {
      snapshot.close();
      snapshot = null;
    }
  }
}
