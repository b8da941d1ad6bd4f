package dev.thaw.model;

import dev.thaw.json.ThawJson;
import dev.thaw.task.ModelLoadException;
import dev.thaw.trial.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What Thaw knows of a saved source model, stored as {@code thaw-model.json} beside DJL weights or
 * as {@code <file>.thaw.json} beside a TorchScript file.
 *
 * @param format {@code djl-params} or {@code torchscript}
 * @param architecture the built-in architecture name (djl-params only)
 * @param weights the weights file name relative to the metadata file's folder
 * @param inputShape C, H, W the backbone expects
 * @param featureSize size of the feature vector the head receives
 * @param layerGroups the groups, g0 first, with the parameter-name prefixes each owns
 * @param source the source task the model was trained on, when Thaw trained it
 * @param createdAt ISO-8601 time of creation
 */
public record ModelMetadata(
    String format,
    String architecture,
    String weights,
    List<Integer> inputShape,
    Integer featureSize,
    List<GroupSpec> layerGroups,
    SourceInfo source,
    String createdAt) {

  /** File name of the metadata inside a Thaw model directory. */
  public static final String FILE_NAME = "thaw-model.json";

  /**
   * A layer group by name and the parameter-name prefixes it owns.
   *
   * @param name g0, g1, ...
   * @param parameterPrefixes prefixes of the parameter names in this group
   */
  public record GroupSpec(String name, List<String> parameterPrefixes) {}

  /**
   * The source task of a model Thaw pretrained.
   *
   * @param dataset the source dataset reference, e.g. {@code fashion-mnist[0-4]}
   * @param classes the source class names, in label order
   * @param accuracy validation accuracy on the source task
   * @param spec the resolved trial spec the model was trained with
   */
  public record SourceInfo(String dataset, List<String> classes, Double accuracy, TrialSpec spec) {}

  /** Reads metadata, naming the file in any error. */
  public static ModelMetadata read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException("model metadata " + file + " does not exist");
    }
    try {
      return ThawJson.mapper().readValue(file.toFile(), ModelMetadata.class);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read model metadata " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the metadata as pretty JSON. */
  public void write(Path file) throws IOException {
    Files.writeString(file, ThawJson.mapper().writeValueAsString(this));
  }
}
