package dev.thaw.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.zoo.ZooSource;
import dev.thaw.train.FineTuner;
import dev.thaw.train.TrialObserver;
import dev.thaw.train.features.FeatureCache;
import dev.thaw.train.features.FeatureCacheSettings;
import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.OptimizerSpec;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import dev.thaw.worker.TaskCache;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark {@code feature-cache}: epoch seconds of the ImageNet MobileNetV2 ({@code
 * zoo:mobilenet_v2}) trained head only (all nine groups frozen) and with only g8 trained (k = n-1),
 * each as three trials of the same seed in one process, as a worker runs them (the task's data and
 * weights loaded and one untimed epoch run before any is timed): uncached; cached, first trial of
 * its task (it runs the frozen groups once over the images before its first epoch); cached again (a
 * later trial of the sweep: every lookup hits). The three must give the same per-epoch metrics
 * (SGD, whose results repeat to the last digit; with Adam even two uncached runs differ by about
 * 1e-5, see the trainer's tests). Epoch figures are medians over the epochs. Last line: {@code
 * head_only_speedup: <uncached median epoch seconds / cached-again median epoch seconds>}.
 */
public final class FeatureCacheBench {
  private static final String SOURCE = "zoo:mobilenet_v2";
  private static final String TARGET = "fashion-mnist";

  /** 1% of each Fashion-MNIST class (700 images) validates. */
  private static final double VALIDATION = 0.01;

  private FeatureCacheBench() {}

  private record Row(TrialResult result, FeatureCacheStats stats) {}

  public static void main(String[] args) throws Exception {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int inputSize = args.length > 1 ? Integer.parseInt(args[1]) : 96;
    int labels = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    ZooSource.MOBILENET_V2.weights().verifiedPath();
    try (ScratchDir runs = new ScratchDir("thaw-bench-feature-cache-");
        ScratchDir spill = new ScratchDir("thaw-bench-feature-spill-");
        TaskCache task = new TaskCache();
        FeatureCache cache =
            FeatureCache.open(new FeatureCacheSettings(1024L << 20, 0, spill.path()))) {
      FineTuner plain = new FineTuner(Device.cpu(), runs.path(), task);
      FineTuner cached = plain.withFeatureCache(cache);
      // Load the task's data and weights before timing anything, as a worker holds them.
      TrialSpec any = spec(9, 1, inputSize, labels);
      task.data(any.target(), new Shape(3, inputSize, inputSize), 1L);
      task.network(SourceModelRef.parse(SOURCE), Device.cpu(), 10, 0.2).close();
      // One untimed uncached epoch: the first trial of a JVM pays for warming up DJL and PyTorch.
      plain.run(spec(9, 1, inputSize, labels).withId("warm-up"), TrialObserver.NONE);
      OtherProcessesCpu others = new OtherProcessesCpu(List.of(ProcessHandle.current().pid()));
      others.start();
      System.out.printf(
          Locale.ROOT,
          "source: %s (%s; %s), 9 layer groups%n",
          SOURCE,
          ZooSource.MOBILENET_V2.architecture(),
          ZooSource.SOURCE_TASK);
      System.out.printf(
          Locale.ROOT,
          "target: %s, %d labels per class, validation 1%% of each class, input %dx%d; %d epochs,"
              + " batch 32, sgd (momentum 0.9, head 1e-2, g8 1e-3), dropout 0.2, seed 1%n",
          TARGET,
          labels,
          inputSize,
          inputSize,
          epochs);
      System.out.printf(
          Locale.ROOT,
          "%-10s %-13s %9s %9s %9s %9s %8s %6s %12s %9s%n",
          "stage",
          "run",
          "epoch_s",
          "epoch1_s",
          "prefix_s",
          "trial_s",
          "val_acc",
          "hits",
          "features_MB",
          "speedup");
      double headOnly = 0;
      for (int k : new int[] {9, 8}) {
        String stage = k == 9 ? "head-only" : "k=8 (g8)";
        TrialSpec spec = spec(k, epochs, inputSize, labels);
        Row uncached = run(plain, spec.withId("k" + k + "-uncached"));
        Row first = run(cached, spec.withId("k" + k + "-cached"));
        Row again = run(cached, spec.withId("k" + k + "-cached-again"));
        double base = median(uncached);
        print(stage, "uncached", uncached, base);
        print(stage, "cached", first, base);
        print(stage, "cached again", again, base);
        double speedup = base / median(again);
        System.out.printf(
            Locale.ROOT,
            "%s: max |difference| of per-epoch train_loss, val_loss, val_acc against uncached:"
                + " %.2e (cached), %.2e (cached again)%n",
            stage,
            maxDifference(uncached.result(), first.result()),
            maxDifference(uncached.result(), again.result()));
        if (k == 9) {
          headOnly = speedup;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "other processes used %.2f cores on average meanwhile (of %d)%n",
          others.coresSinceStart(),
          Runtime.getRuntime().availableProcessors());
      System.out.printf(Locale.ROOT, "head_only_speedup: %.1f%n", headOnly);
    }
  }

  private static TrialSpec spec(int freezeDepth, int epochs, int inputSize, int labels) {
    return TrialSpec.builder(SOURCE, new TargetSpec(TARGET, VALIDATION, labels, null, 1L))
        .id("k" + freezeDepth)
        .freezeDepth(freezeDepth)
        .learningRates(new LearningRates(1e-2, new BackboneLearningRates.Uniform(1e-3)))
        .optimizer(new OptimizerSpec(OptimizerSpec.Name.SGD, 0.9, null))
        .batchSize(32)
        .dropout(0.2)
        .epochs(epochs)
        .warmupEpochs(0)
        .seed(1L)
        .inputSize(inputSize)
        .build();
  }

  private static Row run(FineTuner tuner, TrialSpec spec) {
    AtomicReference<FeatureCacheStats> stats = new AtomicReference<>(FeatureCacheStats.DISABLED);
    TrialResult r =
        tuner.run(
            spec,
            new TrialObserver() {
              @Override
              public void featureCache(FeatureCacheStats s) {
                stats.set(s);
              }
            });
    return new Row(r, stats.get());
  }

  private static void print(String stage, String run, Row row, double uncachedEpoch) {
    List<EpochMetrics> e = row.result().epochs();
    FeatureCacheStats s = row.stats();
    System.out.printf(
        Locale.ROOT,
        "%-10s %-13s %9.3f %9.3f %9s %9.2f %7.2f%% %6s %12s %8.1fx%n",
        stage,
        run,
        median(row),
        e.get(0).epochSeconds(),
        s.enabled() ? String.format(Locale.ROOT, "%.2f", s.prefixSeconds()) : "-",
        row.result().wallSeconds(),
        100 * e.get(e.size() - 1).valAccuracy(),
        s.enabled() ? s.hits() + "/" + (s.hits() + s.partialHits() + s.misses()) : "-",
        s.enabled() ? String.format(Locale.ROOT, "%.1f", s.bytes() / 1e6) : "-",
        uncachedEpoch / median(row));
  }

  /** The median of a trial's epoch seconds. */
  private static double median(Row row) {
    double[] s = row.result().epochs().stream().mapToDouble(EpochMetrics::epochSeconds).toArray();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double maxDifference(TrialResult a, TrialResult b) {
    double max = 0;
    for (int i = 0; i < a.epochs().size(); i++) {
      EpochMetrics x = a.epochs().get(i);
      EpochMetrics y = b.epochs().get(i);
      max = Math.max(max, Math.abs(x.trainLoss() - y.trainLoss()));
      max = Math.max(max, Math.abs(x.valLoss() - y.valLoss()));
      max = Math.max(max, Math.abs(x.valAccuracy() - y.valAccuracy()));
    }
    return a.epochs().size() == b.epochs().size() ? max : Double.NaN;
  }
}
