package dev.thaw.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.json.ThawJson;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.zoo.ZooSource;
import dev.thaw.train.TrainingLoop;
import dev.thaw.trial.ParameterName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark {@code trainer-throughput}: samples per second of Thaw's training step (DJL, PyTorch
 * engine) against PyTorch eager in Python on the same architecture, weights, batch size, thread
 * count and data shape, alternating the two in one run: the small thaw-cnn at 1x28x28, and the
 * ImageNet MobileNetV2 of {@code zoo:mobilenet_v2} (torchvision's, with the same packaged weights,
 * on the PyTorch side) at 3x128x128. Last line: {@code djl_vs_pytorch_mobilenet_v2: <ratio>} with
 * nothing frozen.
 */
public final class TrainerThroughput {
  private static final int WIDTH = 16;
  private static final int CLASSES = 10;
  private static final int BATCHES = 16;

  /**
   * One configuration.
   *
   * @param model thaw-cnn or mobilenet_v2 (the names pytorch_eager.py takes)
   * @param channels input channels
   * @param size input side
   * @param batch batch size
   * @param freeze freeze depth
   * @param epochs measured passes over the 16 batches, per round
   */
  record Row(String model, int channels, int size, int batch, int freeze, int epochs) {
    SourceModelRef source() {
      return SourceModelRef.parse(
          model.equals("thaw-cnn") ? "scratch:thaw-cnn-w" + WIDTH : "zoo:" + model);
    }
  }

  private TrainerThroughput() {}

  public static void main(String[] args) throws Exception {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int mobileBatch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "2"));
    Path script = Path.of("bench/trainer-throughput/pytorch_eager.py");
    Path weights = ZooSource.MOBILENET_V2.weights().verifiedPath();
    Path python;
    try {
      python = BenchPython.forScript(script, "(bench/python-env.sh makes it)");
    } catch (IOException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    List<Row> rows =
        List.of(
            new Row("thaw-cnn", 1, 28, batch, 0, 7),
            new Row("thaw-cnn", 1, 28, batch, 2, 7),
            new Row("mobilenet_v2", 3, 128, mobileBatch, 0, 2),
            new Row("mobilenet_v2", 3, 128, mobileBatch, 5, 2));
    System.out.printf(
        Locale.ROOT,
        "%d classes, %d threads, Adam, random data; %d rounds, median; thaw-cnn-w%d from scratch,"
            + " mobilenet_v2 with the packaged ImageNet weights and a new head%n",
        CLASSES,
        threads,
        rounds,
        WIDTH);
    System.out.printf(
        Locale.ROOT,
        "engine %s %s%n",
        Engine.getInstance().getEngineName(),
        Engine.getInstance().getVersion());
    System.out.printf(
        Locale.ROOT,
        "%-13s %-10s %6s %13s %14s %17s %7s%n",
        "model",
        "input",
        "batch",
        ParameterName.FREEZE_DEPTH.key(),
        "thaw_samples/s",
        "pytorch_samples/s",
        "ratio");
    double mobileRatio = Double.NaN;
    for (Row row : rows) {
      // One untimed round of each side first: JIT, oneDNN primitive caches and the allocators
      // warm up there, not in the first measured round.
      thaw(row, 1);
      pytorch(python, script, weights, row, threads, BATCHES);
      double[] djl = new double[rounds];
      double[] torch = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        djl[r] = thaw(row, row.epochs());
        torch[r] = pytorch(python, script, weights, row, threads, row.epochs() * BATCHES);
      }
      double d = TrainingStepTimer.median(djl);
      double t = TrainingStepTimer.median(torch);
      System.out.printf(
          Locale.ROOT,
          "%-13s %-10s %6d %13d %14.1f %17.1f %7.3f%n",
          row.model(),
          row.channels() + "x" + row.size() + "x" + row.size(),
          row.batch(),
          row.freeze(),
          d,
          t,
          d / t);
      if (row.model().equals("mobilenet_v2") && row.freeze() == 0) {
        mobileRatio = d / t;
      }
    }
    System.out.printf(Locale.ROOT, "djl_vs_pytorch_mobilenet_v2: %.3f%n", mobileRatio);
  }

  /** Samples per second of {@link TrainingLoop#trainEpoch} on random data. */
  static double thaw(Row row, int measuredEpochs) {
    int n = row.batch() * BATCHES;
    return TrainingStepTimer.samplesPerSecond(
        row.source(),
        CLASSES,
        row.freeze(),
        0.2,
        (m, count) ->
            m.randomUniform(0, 1, new Shape(count, row.channels(), row.size(), row.size())),
        n,
        row.batch(),
        n * measuredEpochs);
  }

  static double pytorch(Path python, Path script, Path weights, Row row, int threads, int steps)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                python.toString(),
                script.toString(),
                "--model",
                row.model(),
                "--width",
                String.valueOf(WIDTH),
                "--channels",
                String.valueOf(row.channels()),
                "--size",
                String.valueOf(row.size()),
                "--classes",
                String.valueOf(CLASSES),
                "--batch-size",
                String.valueOf(row.batch()),
                "--threads",
                String.valueOf(threads),
                "--freeze-depth",
                String.valueOf(row.freeze()),
                "--warmup-steps",
                String.valueOf(BATCHES),
                "--steps",
                String.valueOf(steps)));
    if (row.model().equals("mobilenet_v2")) {
      command.addAll(List.of("--weights", weights.toString()));
    }
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IOException("pytorch_eager.py failed with exit " + p.exitValue() + ": " + out);
    }
    String last = out.substring(out.lastIndexOf('\n') + 1);
    JsonNode json = ThawJson.mapper().readTree(last);
    return json.get("samples_per_second").asDouble();
  }
}
