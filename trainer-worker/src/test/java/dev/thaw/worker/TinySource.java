package dev.thaw.worker;

import ai.djl.Device;
import dev.thaw.model.ModelMetadata;
import dev.thaw.train.FineTuner;
import dev.thaw.train.Pretrainer;
import dev.thaw.train.TrialObserver;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialSpec;
import java.io.IOException;
import java.nio.file.Path;

/** A tiny source model for worker tests: thaw-cnn-w4 pretrained briefly on MNIST digits 5-9. */
final class TinySource {
  private TinySource() {}

  /** Pretrains into {@code dir}/source and returns that model directory. */
  static Path pretrain(Path dir) throws IOException {
    Path sourceDir = dir.resolve("source");
    TrialSpec spec =
        TrialSpec.builder("scratch:thaw-cnn-w4", new TargetSpec("mnist[5-9]", 0.2, 100, null))
            .id("pretrain")
            .freezeDepth(0)
            .learningRates(new LearningRates(5e-3, new BackboneLearningRates.Uniform(5e-3)))
            .batchSize(32)
            .dropout(0.0)
            .epochs(2)
            .warmupEpochs(0)
            .seed(1L)
            .build();
    ModelMetadata meta =
        new Pretrainer(new FineTuner(Device.cpu(), dir.resolve("pretrain-runs")))
            .pretrain(spec, sourceDir, TrialObserver.NONE);
    if (meta.layerGroups().size() != 4) {
      throw new IllegalStateException("expected 4 groups, got " + meta.layerGroups());
    }
    return sourceDir;
  }
}
