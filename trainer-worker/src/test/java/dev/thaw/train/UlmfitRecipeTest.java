package dev.thaw.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import dev.thaw.model.LayerGroup;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.TransferNetwork;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.LrSchedule;
import dev.thaw.trial.OptimizerSpec;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ULMFiT's recipe on the small CNN: gradual unfreezing thaws one group from the top per step of
 * epochs (a frozen group's weights do not change by one bit until its epoch), and a learning-rate
 * schedule sets the rate of every optimizer step.
 */
class UlmfitRecipeTest {
  @TempDir Path dir;

  /** Hands out the trial's network and keeps it, so an observer can read its weights. */
  private static final class KeptNetwork implements TrialInputs {
    TransferNetwork net;
    List<List<float[]>> initial;

    @Override
    public TrialData data(TargetSpec target, Shape input, long splitSeed) {
      return FROM_DISK.data(target, input, splitSeed);
    }

    @Override
    public TransferNetwork network(
        SourceModelRef ref, Device device, int targetClasses, double dropout) {
      net = FROM_DISK.network(ref, device, targetClasses, dropout);
      initial = weights(net);
      return net;
    }
  }

  private static List<List<float[]>> weights(TransferNetwork net) {
    List<List<float[]>> out = new ArrayList<>();
    for (LayerGroup g : net.groups()) {
      List<float[]> arrays = new ArrayList<>();
      for (Parameter p : g.parameters()) {
        arrays.add(p.getArray().toFloatArray());
      }
      out.add(arrays);
    }
    return out;
  }

  private static boolean same(List<float[]> a, List<float[]> b) {
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static TrialSpec cnn(String id, int freezeDepth, int every, int epochs) {
    return TrialSpec.builder("scratch:thaw-cnn-w4", new TargetSpec("mnist[0-2]", 0.3, 20, null))
        .id(id)
        .freezeDepth(freezeDepth)
        .learningRates(new LearningRates(1e-2, new BackboneLearningRates.Decay(2.6, null)))
        .optimizer(new OptimizerSpec(OptimizerSpec.Name.ADAMW, null, 0.01))
        .batchSize(16)
        .epochs(epochs)
        .unfreezeEvery(every)
        .lrSchedule(LrSchedule.STLR)
        .seed(4L)
        .build();
  }

  /**
   * After each epoch: which groups have kept their initial weights bit for bit, g0 first, and which
   * moved in that epoch.
   */
  private List<String> trace(TrialSpec spec) {
    KeptNetwork inputs = new KeptNetwork();
    List<String> seen = new ArrayList<>();
    java.util.concurrent.atomic.AtomicReference<List<List<float[]>>> previous =
        new java.util.concurrent.atomic.AtomicReference<>();
    new FineTuner(Device.cpu(), dir.resolve("runs"), inputs)
        .run(
            spec,
            new TrialObserver() {
              @Override
              public boolean epochFinished(EpochMetrics m) {
                List<List<float[]>> now = weights(inputs.net);
                List<List<float[]>> before =
                    previous.get() == null ? inputs.initial : previous.get();
                StringBuilder line = new StringBuilder();
                for (int g = 0; g < now.size(); g++) {
                  boolean initial = same(inputs.initial.get(g), now.get(g));
                  boolean moved = !same(before.get(g), now.get(g));
                  assertFalse(initial && moved);
                  line.append(initial ? 'F' : moved ? 'M' : '?');
                }
                seen.add(line.toString());
                previous.set(now);
                return true;
              }
            });
    return seen;
  }

  @Test
  void oneMoreGroupFromTheTopUnfreezesEachEpoch() {
    // F: still the initial weights, bit for bit; M: moved in this epoch. g0 is on the left.
    assertEquals(List.of("FFFM", "FFMM", "FMMM", "MMMM"), trace(cnn("every-1", 0, 1, 4)));
  }

  @Test
  void everyTwoEpochsDownToTheFreezeDepth() {
    assertEquals(List.of("FFFM", "FFFM", "FFMM", "FFMM", "FFMM"), trace(cnn("every-2", 2, 2, 5)));
  }

  @Test
  void theOptimizerTakesTheScheduledRateAtEveryStep() {
    // Plain SGD on a gradient of ones: each step moves a weight by exactly its rate, so the steps
    // read back the rates the clock set, head and group alike.
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Parameter groupWeight =
          Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
      Parameter headWeight =
          Parameter.builder().setName("h").setType(Parameter.Type.WEIGHT).build();
      LayerGroup group = new LayerGroup("g0", List.of(groupWeight));
      GroupLearningRates rates = new GroupLearningRates(List.of(group), new double[] {1e-3}, 1e-2);
      Optimizer sgd = Optimizers.create(new OptimizerSpec(OptimizerSpec.Name.SGD, 0.0, 0.0), rates);
      long total = 50;
      ScheduleClock clock = new ScheduleClock(rates, LrSchedule.STLR, total);
      for (int t = 0; t < total; t++) {
        clock.run();
        var w = manager.zeros(new Shape(1));
        var h = manager.zeros(new Shape(1));
        sgd.update(groupWeight.getId(), w, manager.ones(new Shape(1)));
        sgd.update(headWeight.getId(), h, manager.ones(new Shape(1)));
        float m = (float) LrSchedule.STLR.multiplier(t, total);
        assertEquals((float) 1e-3 * m, -w.getFloat(), 0, "group step " + t);
        assertEquals((float) 1e-2 * m, -h.getFloat(), 0, "head step " + t);
      }
      assertEquals(total, clock.steps());
      assertTrue(LrSchedule.STLR.multiplier(5, total) == 1.0, "the peak at cut = floor(0.1 T)");
    }
  }
}
