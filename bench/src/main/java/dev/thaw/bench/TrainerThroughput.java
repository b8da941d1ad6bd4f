package dev.thaw.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.data.ThawPaths;
import dev.thaw.json.ThawJson;
import dev.thaw.model.Architecture;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.SourceModels;
import dev.thaw.model.TransferNetwork;
import dev.thaw.train.GroupLearningRates;
import dev.thaw.train.TrainingLoop;
import dev.thaw.trial.OptimizerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Benchmark {@code trainer-throughput}: samples per second of Thaw's training step (DJL, PyTorch
 * engine) against PyTorch eager in Python on the same architecture, batch size, thread count and
 * data shape, alternating the two in one run. Last line: {@code djl_vs_pytorch: <ratio>}.
 */
public final class TrainerThroughput {
  private static final int WIDTH = 16;
  private static final int CLASSES = 10;
  private static final int BATCHES = 16;

  private TrainerThroughput() {}

  public static void main(String[] args) throws Exception {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int measuredEpochs = 7;
    int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "2"));
    Path python = ThawPaths.cacheDir().resolve("bench-venv/bin/python");
    Path script = Path.of("bench/trainer-throughput/pytorch_eager.py");
    if (!Files.isExecutable(python) || !Files.isRegularFile(script)) {
      System.err.println(
          "needs " + python + " (bench/python-env.sh makes it) and " + script.toAbsolutePath());
      System.exit(2);
    }
    System.out.printf(
        Locale.ROOT,
        "thaw-cnn-w%d, input 1x28x28, %d classes, batch %d, %d threads, Adam, random data;"
            + " %d rounds, median%n",
        WIDTH,
        CLASSES,
        batch,
        threads,
        rounds);
    System.out.printf(
        Locale.ROOT,
        "engine %s %s%n",
        Engine.getInstance().getEngineName(),
        Engine.getInstance().getVersion());
    System.out.printf(
        Locale.ROOT,
        "%-13s %14s %16s %8s%n",
        "freeze_depth",
        "thaw_samples/s",
        "pytorch_samples/s",
        "ratio");
    // One untimed round of each side first: JIT, oneDNN primitive caches and the allocators warm
    // up there, not in the first measured configuration.
    thaw(batch, 0, 2);
    pytorch(python, script, batch, 0, threads, BATCHES);
    List<Double> ratios = new ArrayList<>();
    for (int freeze : new int[] {0, 2}) {
      double[] djl = new double[rounds];
      double[] torch = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        djl[r] = thaw(batch, freeze, measuredEpochs);
        torch[r] = pytorch(python, script, batch, freeze, threads, measuredEpochs * BATCHES);
      }
      double d = median(djl);
      double t = median(torch);
      ratios.add(d / t);
      System.out.printf(Locale.ROOT, "%-13d %14.0f %16.0f %8.3f%n", freeze, d, t, d / t);
    }
    System.out.printf(Locale.ROOT, "djl_vs_pytorch: %.3f%n", ratios.get(0));
  }

  /** Samples per second of {@link TrainingLoop#trainEpoch} on random data. */
  public static double thaw(int batch, int freeze, int measuredEpochs) {
    Engine.getInstance().setRandomSeed(0);
    Architecture arch = Architecture.parse("thaw-cnn-w" + WIDTH);
    try (TransferNetwork net =
            SourceModels.open(new SourceModelRef.Scratch(arch), Device.cpu(), CLASSES, 0.2);
        NDManager data = net.model().getNDManager().newSubManager()) {
      net.setFreezeDepth(freeze);
      double[] rates = new double[net.groups().size()];
      Arrays.fill(rates, 1e-3);
      var config =
          TrainingLoop.config(
              OptimizerSpec.defaults(),
              new GroupLearningRates(net.groups(), rates, 1e-3),
              Device.cpu());
      int n = batch * BATCHES;
      NDArray x = data.randomUniform(0, 1, new Shape(n, 1, 28, 28));
      NDArray y = data.randomInteger(0, CLASSES, new Shape(n), ai.djl.ndarray.types.DataType.INT64);
      try (Trainer trainer = net.model().newTrainer(config)) {
        SplittableRandom order = new SplittableRandom(0);
        for (int e = 0; e < 4; e++) {
          TrainingLoop.trainEpoch(trainer, x, y, batch, order);
        }
        long t0 = System.nanoTime();
        for (int e = 0; e < measuredEpochs; e++) {
          TrainingLoop.trainEpoch(trainer, x, y, batch, order);
        }
        return (double) n * measuredEpochs / ((System.nanoTime() - t0) / 1e9);
      }
    }
  }

  static double pytorch(Path python, Path script, int batch, int freeze, int threads, int steps)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                python.toString(),
                script.toString(),
                "--width",
                String.valueOf(WIDTH),
                "--classes",
                String.valueOf(CLASSES),
                "--batch-size",
                String.valueOf(batch),
                "--threads",
                String.valueOf(threads),
                "--freeze-depth",
                String.valueOf(freeze),
                "--warmup-steps",
                String.valueOf(2 * BATCHES),
                "--steps",
                String.valueOf(steps))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IOException("pytorch_eager.py failed with exit " + p.exitValue() + ": " + out);
    }
    String last = out.substring(out.lastIndexOf('\n') + 1);
    JsonNode json = ThawJson.mapper().readTree(last);
    return json.get("samples_per_second").asDouble();
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
