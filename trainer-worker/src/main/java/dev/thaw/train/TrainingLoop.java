package dev.thaw.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.ParameterTracker;
import dev.thaw.trial.OptimizerSpec;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Thaw's training step and evaluation pass over in-memory tensors: the hot loop of every trial,
 * shared by the fine-tuner and the throughput benchmark.
 */
public final class TrainingLoop {
  /**
   * Pixels per evaluation batch: 512 images of 28 x 28. DJL frees a forward pass's intermediate
   * arrays only when the batch's scope closes, so an evaluation batch must be sized by its
   * activations: 512 MNIST digits, but 43 images at 96 x 96 and 8 at 224 x 224 (512 MobileNetV2
   * images at 96 x 96 held about 10 GB).
   */
  private static final long EVAL_PIXELS = 512L * 28 * 28;

  /** Tokens per evaluation batch of text: attention holds L x L scores per head and text. */
  private static final long EVAL_TOKENS = 64L * 128;

  private TrainingLoop() {}

  /** Softmax cross-entropy with the trial's optimizer and per-parameter rates on one device. */
  public static DefaultTrainingConfig config(
      OptimizerSpec optimizer, ParameterTracker rates, Device device) {
    return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(Optimizers.create(optimizer, rates))
        .optDevices(new Device[] {device});
  }

  /** One pass over the training set in a seeded order; returns the mean training loss. */
  public static double trainEpoch(
      Trainer trainer, NDArray x, NDArray y, int batchSize, SplittableRandom shuffle) {
    return trainEpoch(trainer, TrainBatches.gather(x), y, batchSize, shuffle);
  }

  /**
   * One pass over the training set in a seeded order, its inputs from {@code x} (e.g. augmented);
   * returns the mean training loss.
   */
  public static double trainEpoch(
      Trainer trainer, TrainBatches x, NDArray y, int batchSize, SplittableRandom shuffle) {
    return trainEpoch(trainer, x, y, batchSize, shuffle, () -> {});
  }

  /**
   * One pass over the training set in a seeded order, calling {@code beforeStep} before each
   * optimizer step (a learning-rate schedule sets that step's rates); returns the mean training
   * loss.
   */
  public static double trainEpoch(
      Trainer trainer,
      TrainBatches x,
      NDArray y,
      int batchSize,
      SplittableRandom shuffle,
      Runnable beforeStep) {
    int size = (int) y.getShape().get(0);
    long[] order = permutation(size, shuffle);
    double lossSum = 0;
    for (int from = 0; from < size; from += batchSize) {
      int to = Math.min(size, from + batchSize);
      try (NDManager scope = y.getManager().newSubManager()) {
        long[] indices = Arrays.copyOfRange(order, from, to);
        NDArray index = scope.create(indices);
        NDArray bx = x.get(scope, index, indices);
        NDArray by = y.get(new NDIndex("{}", index));
        by.attach(scope);
        try (GradientCollector gc = trainer.newGradientCollector()) {
          NDArray pred = trainer.forward(new NDList(bx)).singletonOrThrow();
          NDArray loss = trainer.getLoss().evaluate(new NDList(by), new NDList(pred));
          gc.backward(loss);
          lossSum += loss.getFloat() * (to - from);
        }
        beforeStep.run();
        trainer.step();
      }
    }
    return lossSum / size;
  }

  /** Mean loss and accuracy over a set, in inference mode. */
  public static double[] evaluate(
      Loss loss, NDArray x, NDArray y, Function<NDList, NDList> forward) {
    return evaluate(loss, x, y, forward, evaluationBatch(x.getShape()));
  }

  /** Mean loss and accuracy over a set, in inference mode, {@code batch} examples at a time. */
  public static double[] evaluate(
      Loss loss, NDArray x, NDArray y, Function<NDList, NDList> forward, int batch) {
    int size = (int) x.getShape().get(0);
    double lossSum = 0;
    long correct = 0;
    for (int from = 0; from < size; from += batch) {
      int to = Math.min(size, from + batch);
      try (NDManager scope = x.getManager().newSubManager()) {
        NDArray bx = x.get(from + ":" + to);
        NDArray by = y.get(from + ":" + to);
        bx.attach(scope);
        by.attach(scope);
        NDArray pred = forward.apply(new NDList(TrialData.unitFloats(bx))).singletonOrThrow();
        lossSum += loss.evaluate(new NDList(by), new NDList(pred)).getFloat() * (to - from);
        correct += pred.argMax(1).eq(by).countNonzero().getLong();
      }
    }
    return new double[] {lossSum / size, (double) correct / size};
  }

  /**
   * Examples per evaluation batch for inputs of this shape, 1 to 512: by pixels for images (N x C x
   * H x W), by tokens for text token rows (N x 2 x L; 64 texts of 128 tokens).
   */
  public static int evaluationBatch(Shape shape) {
    if (shape.dimension() == 3 && shape.get(1) == 2) {
      return (int) Math.max(1, Math.min(512, EVAL_TOKENS / Math.max(1, shape.get(2))));
    }
    long pixels = shape.dimension() == 4 ? shape.get(2) * shape.get(3) : 28 * 28;
    return (int) Math.max(1, Math.min(512, EVAL_PIXELS / Math.max(1, pixels)));
  }

  /** Optimizer steps in one epoch over {@code examples} in batches of {@code batchSize}. */
  public static long stepsPerEpoch(int examples, int batchSize) {
    return (examples + batchSize - 1) / batchSize;
  }

  private static long[] permutation(int size, SplittableRandom random) {
    long[] order = new long[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
