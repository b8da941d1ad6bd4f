package dev.thaw.cli;

import dev.thaw.data.ThawPaths;
import dev.thaw.model.ModelMetadata;
import dev.thaw.train.Devices;
import dev.thaw.train.FineTuner;
import dev.thaw.train.Pretrainer;
import dev.thaw.trial.TrialSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code thaw pretrain}: trains the source model on a source task and caches it under {@code
 * $THAW_CACHE/models/<name>}; a second run with the same settings reuses it.
 */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    description = "Train a built-in backbone on a source task and save it as a source model.")
final class PretrainCommand implements Callable<Integer> {
  @Option(
      names = "--source",
      defaultValue = "fashion-mnist[0-4]",
      description = "Source task data (default ${DEFAULT-VALUE}).")
  String source;

  @Option(
      names = "--architecture",
      defaultValue = "thaw-cnn",
      description = "Built-in backbone (default ${DEFAULT-VALUE}).")
  String architecture;

  @Option(names = "--epochs", defaultValue = "3")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "128")
  int batchSize;

  @Option(names = "--lr", defaultValue = "2e-3", description = "Learning rate of every layer.")
  double lr;

  @Option(names = "--labels-per-class", description = "Limit the source examples per class.")
  Integer labelsPerClass;

  @Option(names = "--seed", defaultValue = "7")
  long seed;

  @Option(names = "--name", description = "Model name (default <architecture>-<source>).")
  String name;

  @Option(names = "--output", description = "Model directory (default $THAW_CACHE/models/<name>).")
  Path output;

  @Option(names = "--device", defaultValue = "cpu")
  String device;

  @Option(names = "--force", description = "Retrain even if a model with these settings exists.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    String modelName = name != null ? name : Pretrainer.modelName(architecture, source);
    Path dir = output != null ? output : ThawPaths.cacheDir().resolve("models").resolve(modelName);
    TrialSpec spec =
        Pretrainer.recipe(architecture, source, epochs, batchSize, lr, labelsPerClass, seed);
    Path metaFile = dir.resolve(ModelMetadata.FILE_NAME);
    if (!force && Files.isRegularFile(metaFile)) {
      ModelMetadata existing = ModelMetadata.read(metaFile);
      if (existing.source() != null
          && existing.source().spec() != null
          && existing.source().spec().configHash().equals(spec.configHash())) {
        System.out.printf(
            Locale.ROOT,
            "source model %s is already pretrained (source accuracy %.2f%%); --force retrains%n",
            dir,
            100 * existing.source().accuracy());
        return 0;
      }
    }
    FineTuner.validate(spec, "pretrain");
    EpochTable table = new EpochTable(System.out);
    ModelMetadata meta =
        new Pretrainer(new FineTuner(Devices.parse(device), ThawPaths.cacheDir().resolve("runs")))
            .pretrain(spec, dir, table);
    System.out.printf(
        Locale.ROOT,
        "source model saved to %s (%s, %d layer groups, source accuracy %.2f%% on %s)%n",
        dir,
        meta.architecture(),
        meta.layerGroups().size(),
        100 * meta.source().accuracy(),
        source);
    return 0;
  }
}
