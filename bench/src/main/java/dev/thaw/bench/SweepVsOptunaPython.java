package dev.thaw.bench;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.bench.SweepVsOptunaGrid.Config;
import dev.thaw.data.LabelledImages;
import dev.thaw.model.zoo.ZooSource;
import dev.thaw.train.TrainingLoop;
import dev.thaw.train.TrialData;
import dev.thaw.trial.TargetSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Optuna's side of {@code sweep-vs-optuna}: exports the exact images and labels Thaw's worker
 * trains and validates on ({@link TrialData#load}, the worker's own data path, with the sweep's
 * split seed: after resizing, before normalisation) as {@code .npy} files with their SHA-256, and
 * runs {@code bench/sweep-vs-optuna/optuna_sweep.py} in the benchmarks' virtualenv on them.
 */
final class SweepVsOptunaPython {
  static final Path SCRIPT = Path.of("bench/sweep-vs-optuna/optuna_sweep.py");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One trial of the study. */
  record Trial(Config config, int number, double valAccuracy, int bestEpoch, double seconds) {}

  /**
   * @param studySeconds the study's wall time as the script measured it (data in memory)
   * @param processSeconds from starting Python to its exit (imports, reading and checking data)
   * @param versions Optuna's, torch's and torchvision's, and the thread counts
   * @param otherCores cores other processes used while Python ran
   */
  record Result(
      List<Trial> trials,
      double studySeconds,
      double processSeconds,
      JsonNode versions,
      double otherCores) {}

  /** What was exported: the job's {@code data} section and the sizes. */
  record Export(ObjectNode data, int trainImages, int validationImages, int classes) {}

  private SweepVsOptunaPython() {}

  /** Loads the data as the worker does and writes it under {@code dir}. */
  static Export export(SweepVsOptunaGrid grid, Path dir) throws IOException {
    TargetSpec target =
        new TargetSpec(
            SweepVsOptunaGrid.TARGET,
            grid.validationFraction(),
            grid.labelsPerClass(),
            null,
            grid.seed());
    TrialData data =
        TrialData.load(
            target, new Shape(3, grid.inputSize(), grid.inputSize()), target.splitSeedOr(0));
    if (!(data.train() instanceof LabelledImages train)
        || !(data.validation() instanceof LabelledImages validation)) {
      throw new IllegalStateException(SweepVsOptunaGrid.TARGET + " did not load as images");
    }
    ObjectNode section = JSON.createObjectNode();
    write(section, "train", train, dir);
    write(section, "val", validation, dir);
    return new Export(
        section, data.train().size(), data.validation().size(), data.classNames().size());
  }

  private static void write(ObjectNode section, String part, LabelledImages images, Path dir)
      throws IOException {
    long[] shape = {images.size(), images.channels(), images.height(), images.width()};
    Path x = dir.resolve(part + "_x.npy");
    Path y = dir.resolve(part + "_y.npy");
    NpyFile.writeBytes(x, images.pixels(), shape);
    NpyFile.writeInt64(y, images.labels());
    entry(section.putObject(part + "_x"), x, NpyFile.sha256(images.pixels()), shape);
    entry(
        section.putObject(part + "_y"),
        y,
        NpyFile.sha256(NpyFile.int64Bytes(images.labels())),
        images.size());
  }

  private static void entry(ObjectNode e, Path file, String sha256, long... shape) {
    e.put("path", file.toString());
    ArrayNode s = e.putArray("shape");
    for (long d : shape) {
      s.add(d);
    }
    e.put("sha256", sha256);
  }

  /** The job the script reads: data, configurations (in order, each with its seed), settings. */
  static ObjectNode job(SweepVsOptunaGrid grid, Export export, int threads) throws IOException {
    ObjectNode job = JSON.createObjectNode();
    job.set("data", export.data());
    job.put("classes", export.classes());
    job.put("weights", ZooSource.MOBILENET_V2.weights().verifiedPath().toString());
    job.put("epochs", grid.epochs());
    job.put("batch_size", SweepVsOptunaGrid.BATCH_SIZE);
    job.put("dropout", SweepVsOptunaGrid.DROPOUT);
    job.put(
        "eval_batch",
        TrainingLoop.evaluationBatch(
            new Shape(export.validationImages(), 3, grid.inputSize(), grid.inputSize())));
    job.put("threads", threads);
    job.put("seed", grid.seed());
    ArrayNode configs = job.putArray("configs");
    List<Config> all = grid.configs();
    for (int i = 0; i < all.size(); i++) {
      Config c = all.get(i);
      ObjectNode o = configs.addObject();
      o.put("freeze_depth", c.freezeDepth());
      o.put("lr_head", c.lrHead());
      o.put("slice_lo", c.sliceLo());
      o.put("slice_hi", c.sliceHi());
      ArrayNode rates = o.putArray("group_rates");
      for (double r : c.groupRates()) {
        rates.add(r);
      }
      o.put("seed", grid.seed() + i);
    }
    return job;
  }

  /** Runs the study; its progress goes to this process's stderr. */
  static Result run(ObjectNode job, Path dir, OtherProcessesCpu others)
      throws IOException, InterruptedException {
    Path python =
        BenchPython.forScript(
            SCRIPT, "with torch, torchvision and optuna (bench/python-env.sh makes it)");
    Path jobFile = dir.resolve("job.json");
    Files.writeString(jobFile, JSON.writeValueAsString(job));
    others.start();
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(python.toString(), SCRIPT.toString(), jobFile.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<Trial> trials = new ArrayList<>();
    double study = Double.NaN;
    double cpu = Double.NaN;
    JsonNode versions = null;
    List<String> output = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        output.add(line);
        if (line.startsWith("trial ")) {
          JsonNode t = JSON.readTree(line.substring(6));
          trials.add(
              new Trial(
                  new Config(
                      t.get("freeze_depth").asInt(),
                      t.get("lr_head").asDouble(),
                      t.get("slice_lo").asDouble(),
                      t.get("slice_hi").asDouble()),
                  t.get("number").asInt(),
                  t.get("val_accuracy").asDouble(),
                  t.get("best_epoch").asInt(),
                  t.get("seconds").asDouble()));
        } else if (line.startsWith("study ")) {
          JsonNode s = JSON.readTree(line.substring(6));
          study = s.get("wall_seconds").asDouble();
          cpu = s.get("process_cpu_seconds").asDouble();
        } else if (line.startsWith("versions ")) {
          versions = JSON.readTree(line.substring(9));
        }
      }
    }
    int exit = p.waitFor();
    double processSeconds = (System.nanoTime() - t0) / 1e9;
    // Python has exited: its CPU time is what it reported at the study's end.
    double otherCores = others.coresSinceStart(Double.isNaN(cpu) ? 0 : cpu);
    if (exit != 0 || Double.isNaN(study) || versions == null) {
      throw new IOException(SCRIPT + " failed (exit " + exit + "): " + String.join("\n", output));
    }
    return new Result(trials, study, processSeconds, versions, otherCores);
  }
}
