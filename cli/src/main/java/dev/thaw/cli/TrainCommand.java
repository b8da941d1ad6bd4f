package dev.thaw.cli;

import dev.thaw.data.ThawPaths;
import dev.thaw.json.ThawJson;
import dev.thaw.train.Devices;
import dev.thaw.train.FineTuner;
import dev.thaw.train.features.FeatureCache;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code thaw train --trial trial.json}: runs one fine-tuning trial and prints its epochs. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Run one fine-tuning trial.")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--trial", required = true, description = "Trial spec (JSON).")
  Path trial;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu, gpu or gpu:N (default cpu).")
  String device;

  @Option(names = "--runs-dir", description = "Where trial folders go (default $THAW_CACHE/runs).")
  Path runsDir;

  @Option(names = "--result", description = "Also write the result JSON to this file.")
  Path resultFile;

  @Override
  public Integer call() throws Exception {
    TrialSpec spec = TrialSpec.read(trial);
    FineTuner.validate(spec, trial.toString());
    Path runs = runsDir != null ? runsDir : ThawPaths.cacheDir().resolve("runs");
    EpochTable table = new EpochTable(System.out);
    TrialResult result;
    // The frozen groups' outputs are computed once and reused by every epoch (and by later
    // `thaw train` runs of the same task, from the cache's disk folder).
    try (FeatureCache features = FeatureCache.fromEnvironment()) {
      result =
          new FineTuner(Devices.parse(device), runs).withFeatureCache(features).run(spec, table);
    }
    table.finished(result);
    String json = ThawJson.mapper().writeValueAsString(result);
    Path runResult = Path.of(result.bestWeights()).getParent().resolve("result.json");
    Files.writeString(runResult, json);
    if (resultFile != null) {
      Files.writeString(resultFile, json);
    }
    System.out.println("result: " + runResult);
    return 0;
  }
}
