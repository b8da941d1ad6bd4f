package dev.thaw.bench;

import dev.thaw.data.ThawPaths;
import dev.thaw.model.ModelMetadata;
import dev.thaw.train.FineTuner;
import dev.thaw.train.Pretrainer;
import dev.thaw.train.TrialObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The source model the transfer benchmarks start from: Thaw's default, {@code thaw-cnn} pretrained
 * on Fashion-MNIST classes 0-4 (the quickstart's), pretrained on first use and cached under {@code
 * ~/.cache/thaw/models}.
 *
 * @param dir the model directory, usable as a trial's {@code source_model}
 * @param metadata its {@code thaw-model.json}
 */
record PretrainedSource(Path dir, ModelMetadata metadata) {

  /** The cached default source model, pretrained with {@code tuner} first if it is missing. */
  static PretrainedSource ensure(FineTuner tuner) throws IOException {
    Path dir = ThawPaths.cacheDir().resolve("models").resolve(Pretrainer.DEFAULT_MODEL);
    if (!Files.isRegularFile(dir.resolve(ModelMetadata.FILE_NAME))) {
      System.out.println("pretraining the source model on fashion-mnist[0-4] (once)...");
      new Pretrainer(tuner).pretrain(Pretrainer.defaultRecipe(), dir, TrialObserver.NONE);
    }
    return new PretrainedSource(dir, ModelMetadata.read(dir.resolve(ModelMetadata.FILE_NAME)));
  }

  /** Layer groups of its backbone: the deepest freeze depth (it trains the head only). */
  int groups() {
    return metadata.layerGroups().size();
  }

  /** One line: architecture, source task and source accuracy. */
  String describe() {
    return String.format(
        Locale.ROOT,
        "source: %s on %s, source accuracy %.2f%%",
        metadata.architecture(),
        metadata.source().dataset(),
        100 * metadata.source().accuracy());
  }
}
