package dev.thaw.train;

import dev.thaw.model.Architecture;
import dev.thaw.model.ModelMetadata;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a built-in backbone from scratch on a source task and saves it as a Thaw source model: DJL
 * weights plus {@code thaw-model.json} (architecture, layer groups, input shape, source classes,
 * source accuracy and the resolved spec it was trained with).
 */
public final class Pretrainer {
  private final FineTuner tuner;

  public Pretrainer(FineTuner tuner) {
    this.tuner = tuner;
  }

  /** Name of the default source model: thaw-cnn pretrained on Fashion-MNIST classes 0-4. */
  public static final String DEFAULT_MODEL = "thaw-cnn-fashion-mnist-0-4";

  /**
   * The recipe of a source model: every layer trained from scratch at one rate, 10% of each class
   * held out to measure the source accuracy.
   */
  public static TrialSpec recipe(
      String architecture,
      String source,
      int epochs,
      int batchSize,
      double lr,
      Integer labelsPerClass,
      long seed) {
    return TrialSpec.builder(
            "scratch:" + architecture, new TargetSpec(source, 0.1, labelsPerClass, null))
        .id("pretrain-" + modelName(architecture, source))
        .freezeDepth(0)
        .learningRates(new LearningRates(lr, new BackboneLearningRates.Uniform(lr)))
        .batchSize(batchSize)
        .dropout(0.0)
        .epochs(epochs)
        .warmupEpochs(0)
        .seed(seed)
        .build();
  }

  /** The default recipe: thaw-cnn on fashion-mnist[0-4], 3 epochs, batch 128, Adam 2e-3. */
  public static TrialSpec defaultRecipe() {
    return recipe("thaw-cnn", "fashion-mnist[0-4]", 3, 128, 2e-3, null, 7);
  }

  /** A model name from its architecture and source, e.g. thaw-cnn-fashion-mnist-0-4. */
  public static String modelName(String architecture, String source) {
    return (architecture + "-" + source).replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", "");
  }

  /**
   * Pretrains and saves the model.
   *
   * @param spec a spec whose source model is {@code scratch:<architecture>} and whose target is the
   *     source task
   * @param modelDir where the model is written
   * @return the saved model's metadata
   */
  public ModelMetadata pretrain(TrialSpec spec, Path modelDir, TrialObserver observer)
      throws IOException {
    if (!spec.sourceModel().startsWith("scratch:")) {
      throw new IllegalArgumentException(
          "pretraining starts from scratch:<architecture> (got " + spec.sourceModel() + ")");
    }
    Architecture arch = Architecture.parse(spec.sourceModel().substring("scratch:".length()));
    TrialResult result = tuner.run(spec, observer);
    Files.createDirectories(modelDir);
    String weights = "source-0000.params";
    Files.copy(
        Path.of(result.bestWeights()),
        modelDir.resolve(weights),
        StandardCopyOption.REPLACE_EXISTING);
    List<ModelMetadata.GroupSpec> groups = new ArrayList<>();
    for (int i = 0; i < arch.groups(); i++) {
      groups.add(
          new ModelMetadata.GroupSpec(
              "g" + i, List.of(String.format("%02dSequentialBlock_", i + 1))));
    }
    ModelMetadata meta =
        new ModelMetadata(
            "djl-params",
            arch.name(),
            weights,
            List.of(arch.channels(), arch.height(), arch.widthPx()),
            arch.featureSize(),
            groups,
            new ModelMetadata.SourceInfo(
                spec.target().dataset(), result.targetClasses(), result.finalValAccuracy(), spec),
            Instant.now().toString());
    meta.write(modelDir.resolve(ModelMetadata.FILE_NAME));
    return meta;
  }
}
