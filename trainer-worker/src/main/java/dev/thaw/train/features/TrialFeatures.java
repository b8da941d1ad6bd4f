package dev.thaw.train.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thaw.model.TransferNetwork;
import dev.thaw.trial.Augmentation;
import java.util.ArrayList;
import java.util.List;

/**
 * One trial's use of the feature cache, stage by stage. {@link #stage} gives a stage with k frozen
 * groups the outputs of g(k-1) for its training and validation images, and starts the network's
 * forward passes after g(k-1), so that training steps and evaluation run only g(k).. and the head;
 * or returns null, and the stage runs uncached from the images. {@link #close} puts the network
 * back to running from its first block.
 *
 * <p>Features for depth k come from the store when it holds them; otherwise from the deepest
 * shallower depth j it holds, running only g(j)..g(k-1) on them; otherwise from the images. Either
 * way they are stored for the next stage or trial. Running the prefix uses no random numbers, so a
 * cached stage draws the same dropout masks and batch orders as an uncached one.
 */
public final class TrialFeatures implements AutoCloseable {
  /** A part of the split: its images on the device and their digest (null: cannot be cached). */
  record Images(NDArray onDevice, String digest) {}

  /**
   * The features a cached stage trains and validates on.
   *
   * @param depth frozen groups the features are the output of
   * @param train one row per training image, in the images' order
   * @param validation one row per validation image
   */
  public record StageFeatures(int depth, NDArray train, NDArray validation) {}

  private final FeatureStore store;
  private final TransferNetwork net;
  private final Images train;
  private final Images validation;
  private final Augmentation augmentation;
  private final int batch;
  private final NDManager into;
  private final String task;
  private final List<String> uncached = new ArrayList<>();
  private StageFeatures current;
  private int hits;
  private int partialHits;
  private int misses;
  private int diskReads;
  private int cachedStages;
  private long bytes;
  private double prefixSeconds;

  TrialFeatures(
      FeatureStore store,
      TransferNetwork net,
      Images train,
      Images validation,
      Augmentation augmentation,
      int batch,
      NDManager into,
      String task) {
    this.store = store;
    this.net = net;
    this.train = train;
    this.validation = validation;
    this.augmentation = augmentation;
    this.batch = batch;
    this.into = into;
    this.task = task;
  }

  /**
   * The features of a stage with g0..g(k-1) frozen (its freeze depth already set on the network),
   * or null to run it uncached.
   *
   * @param name the stage's name, for the reason it ran uncached
   * @param k the stage's freeze depth
   */
  public StageFeatures stage(String name, int k) {
    release();
    if (store == null || k < 1) {
      return null; // no cache, or no frozen group: nothing to cache, nothing to report
    }
    String why = refusal(k);
    if (why != null) {
      uncached.add(name + ": " + why);
      return null;
    }
    FeaturePrefix prefix = FeaturePrefix.of(net);
    why = prefix.refusal(k);
    if (why != null) {
      uncached.add(name + ": " + why);
      return null;
    }
    NDArray t = features(prefix, k, FeatureKey.Part.TRAIN, train);
    NDArray v = features(prefix, k, FeatureKey.Part.VALIDATION, validation);
    net.startForwardAt(prefix.end(k));
    current = new StageFeatures(k, t, v);
    cachedStages++;
    return current;
  }

  /** What the cache did for this trial so far. */
  public FeatureCacheStats stats() {
    if (store == null) {
      return FeatureCacheStats.DISABLED;
    }
    return new FeatureCacheStats(
        true, hits, partialHits, misses, diskReads, bytes, prefixSeconds, cachedStages, uncached);
  }

  /** Frees the current stage's features; the network runs from its first block again. */
  @Override
  public void close() {
    release();
  }

  private String refusal(int k) {
    if (augmentation != Augmentation.NONE) {
      return "augmentation " + augmentation.key();
    }
    if (train.digest() == null || validation.digest() == null) {
      return "no digest of the data (only images are cached)";
    }
    if (train.onDevice().getShape().get(0) == 0 || validation.onDevice().getShape().get(0) == 0) {
      return "no images";
    }
    return null;
  }

  private NDArray features(FeaturePrefix prefix, int k, FeatureKey.Part part, Images images) {
    FeatureKey key = key(prefix, k, part, images);
    long reloadsBefore = store.reloads();
    NDArray found = store.get(key, into);
    if (found != null) {
      if (task != null) {
        store.label(key, task + "@" + k); // held already: named for this task too
      }
      hits++;
      diskReads += (int) (store.reloads() - reloadsBefore);
      bytes += FeatureStore.bytes(found);
      return found;
    }
    long t0 = System.nanoTime();
    NDArray computed = null;
    for (int j = k - 1; j >= 1 && computed == null; j--) {
      if (prefix.end(j) < 0 || prefix.end(j) >= prefix.end(k)) {
        continue;
      }
      FeatureKey shallower = key(prefix, j, part, images);
      if (store.contains(shallower)) {
        NDArray base = store.get(shallower, into);
        if (base != null) {
          diskReads += (int) (store.reloads() - reloadsBefore);
          try (base) {
            computed =
                PrefixRunner.run(net.blocks(), prefix.end(j), prefix.end(k), base, batch, into);
          }
          partialHits++;
        }
      }
    }
    if (computed == null) {
      computed = PrefixRunner.run(net.blocks(), 0, prefix.end(k), images.onDevice(), batch, into);
      misses++;
    }
    prefixSeconds += (System.nanoTime() - t0) / 1e9;
    bytes += FeatureStore.bytes(computed);
    store.put(key, computed, task == null ? null : task + "@" + k);
    return computed;
  }

  private static FeatureKey key(FeaturePrefix prefix, int k, FeatureKey.Part part, Images images) {
    Shape s = images.onDevice().getShape();
    String input = s.slice(1).toString().replaceAll("[() ]", "").replace(',', 'x');
    return new FeatureKey(prefix.digest(k), k, images.digest(), input, part);
  }

  private void release() {
    net.startForwardAt(0);
    if (current != null) {
      current.train().close();
      current.validation().close();
      current = null;
    }
  }
}
