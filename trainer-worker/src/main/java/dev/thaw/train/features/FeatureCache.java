package dev.thaw.train.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.thaw.data.LabelledExamples;
import dev.thaw.data.LabelledImages;
import dev.thaw.model.TransferNetwork;
import dev.thaw.trial.Augmentation;
import dev.thaw.trial.TrialSpec;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * A worker's frozen-prefix feature cache: one {@link FeatureStore} shared by the trials the process
 * runs, each trial using it through a {@link TrialFeatures}. {@link #off()} caches nothing, and
 * every stage runs uncached.
 */
public final class FeatureCache implements AutoCloseable {
  private final FeatureStore store;
  private final Function<TrialSpec, String> taskNames;
  private DigestMemo lastTrain;
  private DigestMemo lastValidation;

  private record DigestMemo(WeakReference<LabelledImages> images, String digest) {}

  private FeatureCache(FeatureStore store, Function<TrialSpec, String> taskNames) {
    this.store = store;
    this.taskNames = taskNames;
  }

  /** No cache. */
  public static FeatureCache off() {
    return new FeatureCache(null, spec -> null);
  }

  /** A cache with these caps; off when the memory cap is 0. */
  public static FeatureCache open(FeatureCacheSettings settings) {
    return settings.enabled() ? new FeatureCache(new FeatureStore(settings), spec -> null) : off();
  }

  /** A cache as this process's system properties and environment configure it. */
  public static FeatureCache fromEnvironment() {
    return open(FeatureCacheSettings.fromEnvironment());
  }

  /** True unless off. */
  public boolean enabled() {
    return store != null;
  }

  /**
   * This cache, naming what it holds by task: a prefix of depth k cached for a trial is held as
   * {@code taskNames(spec) + "@" + k} in {@link #heldPrefixes()} (the lease protocol's hint
   * format). Same store.
   */
  public FeatureCache withTaskNames(Function<TrialSpec, String> taskNames) {
    return new FeatureCache(store, taskNames);
  }

  /**
   * The prefixes held in memory or spilled, as {@code TASK@DEPTH}, the most recently used first;
   * empty when off or without {@link #withTaskNames}.
   */
  public List<String> heldPrefixes() {
    return store == null ? List.of() : store.heldLabels();
  }

  /** The task name of {@code spec}, or null (see {@link #withTaskNames}). */
  public String taskOf(TrialSpec spec) {
    return taskNames.apply(spec);
  }

  /** The store, or null when off. */
  public FeatureStore store() {
    return store;
  }

  /**
   * One trial's use of the cache.
   *
   * @param net the trial's network
   * @param train its training images, their labels in {@code data}'s order
   * @param trainImages the same images on the trial's device (N x C x H x W bytes)
   * @param validation its validation images
   * @param validationImages the same on the device
   * @param augmentation the trial's train-time augmentation (anything but none: uncached)
   * @param evaluationBatch images per forward pass when running a prefix
   * @param into the trial's manager, which owns the features it gets
   * @param task the trial's task name for {@link #heldPrefixes()}, or null
   */
  public TrialFeatures trial(
      TransferNetwork net,
      LabelledExamples train,
      NDArray trainImages,
      LabelledExamples validation,
      NDArray validationImages,
      Augmentation augmentation,
      int evaluationBatch,
      NDManager into,
      String task) {
    String trainDigest = null;
    String validationDigest = null;
    // Only images are digested: other input (text token rows) runs uncached, "no digest".
    if (enabled()
        && augmentation == Augmentation.NONE
        && train instanceof LabelledImages trainImagesHost
        && validation instanceof LabelledImages validationImagesHost) {
      trainDigest = digest(trainImagesHost, true);
      validationDigest = digest(validationImagesHost, false);
    }
    return new TrialFeatures(
        store,
        net,
        new TrialFeatures.Images(trainImages, trainDigest),
        new TrialFeatures.Images(validationImages, validationDigest),
        augmentation,
        evaluationBatch,
        into,
        task);
  }

  /** Frees the memory; spilled files stay. */
  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }

  /** SHA-256 of the images' shape, pixels and labels; remembered for the last set of each part. */
  private synchronized String digest(LabelledImages images, boolean train) {
    DigestMemo memo = train ? lastTrain : lastValidation;
    if (memo != null && memo.images().get() == images) {
      return memo.digest();
    }
    MessageDigest sha = FeaturePrefix.sha256();
    ByteBuffer header = ByteBuffer.allocate(16);
    header.putInt(images.size()).putInt(images.channels());
    header.putInt(images.height()).putInt(images.width());
    sha.update(header.array());
    sha.update(images.pixels());
    ByteBuffer labels = ByteBuffer.allocate(4 * images.labels().length);
    for (int label : images.labels()) {
      labels.putInt(label);
    }
    sha.update(labels.array());
    String digest = HexFormat.of().formatHex(sha.digest());
    DigestMemo fresh = new DigestMemo(new WeakReference<>(images), digest);
    if (train) {
      lastTrain = fresh;
    } else {
      lastValidation = fresh;
    }
    return digest;
  }
}
