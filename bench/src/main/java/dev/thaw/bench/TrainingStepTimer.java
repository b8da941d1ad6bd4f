package dev.thaw.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.SourceModels;
import dev.thaw.model.TransferNetwork;
import dev.thaw.train.GroupLearningRates;
import dev.thaw.train.TrainingLoop;
import dev.thaw.trial.OptimizerSpec;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Thaw's side of the throughput benchmarks: samples per second of {@link TrainingLoop#trainEpoch}
 * (forward, loss, backward, Adam at 1e-3 for every trained group and the head) on a pool of random
 * inputs, after one untimed pass over the pool.
 */
final class TrainingStepTimer {
  private TrainingStepTimer() {}

  /**
   * @param source the source model, given a new head of {@code classes} outputs
   * @param freeze freeze depth
   * @param dropout dropout before the head
   * @param inputs makes the pool's N inputs on a manager
   * @param pool N, the inputs in the pool (a multiple of {@code batch})
   * @param batch batch size
   * @param timedSamples samples in the timed part: the first {@code timedSamples} of the pool when
   *     fewer than N, else whole passes over it
   */
  static double samplesPerSecond(
      SourceModelRef source,
      int classes,
      int freeze,
      double dropout,
      BiFunction<NDManager, Integer, NDArray> inputs,
      int pool,
      int batch,
      int timedSamples) {
    Engine.getInstance().setRandomSeed(0);
    try (TransferNetwork net = SourceModels.open(source, Device.cpu(), classes, dropout);
        NDManager data = net.model().getNDManager().newSubManager()) {
      net.setFreezeDepth(freeze);
      double[] rates = new double[net.groups().size()];
      Arrays.fill(rates, 1e-3);
      var config =
          TrainingLoop.config(
              OptimizerSpec.defaults(),
              new GroupLearningRates(net.groups(), rates, 1e-3),
              Device.cpu());
      NDArray x = inputs.apply(data, pool);
      NDArray y = data.randomInteger(0, classes, new Shape(pool), DataType.INT64);
      try (Trainer trainer = net.model().newTrainer(config)) {
        SplittableRandom order = new SplittableRandom(0);
        TrainingLoop.trainEpoch(trainer, x, y, batch, order);
        int passes = Math.max(1, timedSamples / pool);
        NDArray timedX = timedSamples < pool ? x.get("0:" + timedSamples) : x;
        NDArray timedY = timedSamples < pool ? y.get("0:" + timedSamples) : y;
        long t0 = System.nanoTime();
        for (int p = 0; p < passes; p++) {
          TrainingLoop.trainEpoch(trainer, timedX, timedY, batch, order);
        }
        long samples = timedX.getShape().get(0) * passes;
        return samples / ((System.nanoTime() - t0) / 1e9);
      }
    }
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
