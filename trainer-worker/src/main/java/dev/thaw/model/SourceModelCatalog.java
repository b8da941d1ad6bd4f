package dev.thaw.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.thaw.data.ThawPaths;
import dev.thaw.model.zoo.ZooSource;
import dev.thaw.task.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Every source model a trial can name, for {@code thaw models}: the built-in architecture, the
 * models {@code thaw pretrain} cached, and the zoo's ImageNet backbones (pretrained and from
 * scratch), each with its layer groups, input and source task; and one model's group boundaries.
 */
public final class SourceModelCatalog {
  private SourceModelCatalog() {}

  /**
   * One source model.
   *
   * @param reference what a sweep's {@code source_model} says, e.g. {@code zoo:mobilenet_v2}
   * @param kind built-in, pretrained or zoo
   * @param groups number of layer groups
   * @param input C x H x W
   * @param sourceTask what it was trained on
   * @param status whether it can be used here, and how to make it so
   */
  public record Entry(
      String reference, String kind, int groups, String input, String sourceTask, String status) {}

  /**
   * One layer group.
   *
   * @param name g0, g1, ...
   * @param modules the modules or parameter-name prefixes it covers
   * @param output its output shape (C x H x W) at the model's input size, or "?" when unknown
   * @param description what it computes, when known
   */
  public record GroupRow(String name, String modules, String output, String description) {}

  /** The built-in, the cached pretrained models (by name) and the zoo. */
  public static List<Entry> list() {
    List<Entry> entries = new ArrayList<>();
    Architecture builtIn = Architecture.parse("thaw-cnn");
    entries.add(
        new Entry(
            "scratch:thaw-cnn",
            "built-in",
            builtIn.groups(),
            shape(builtIn.inputShape()),
            "none (random weights; -w<width>, -g<groups> vary it)",
            "ready"));
    for (Path dir : pretrainedDirs()) {
      String reference = "pretrained:" + dir.getFileName();
      try {
        ModelMetadata meta = SourceModels.describe(SourceModelRef.parse(reference));
        entries.add(
            new Entry(
                reference,
                "pretrained",
                meta.layerGroups().size(),
                shape(meta.inputShape()),
                sourceTask(meta),
                "cached"));
      } catch (ModelLoadException e) {
        entries.add(
            new Entry(reference, "pretrained", 0, "?", "?", "unreadable: " + e.getMessage()));
      }
    }
    for (ZooSource zoo : ZooSource.values()) {
      ModelMetadata meta = zoo.metadata(true);
      String status =
          zoo.weights().isPresent()
              ? "fetched"
              : "not fetched (./thaw models fetch " + zoo.reference() + ")";
      entries.add(
          new Entry(
              zoo.reference(),
              "zoo",
              meta.layerGroups().size(),
              shape(meta.inputShape()),
              zoo.sourceTask(),
              status));
    }
    for (ZooSource zoo : ZooSource.values()) {
      ModelMetadata meta = zoo.metadata(false);
      entries.add(
          new Entry(
              "scratch:" + zoo.id(),
              "zoo",
              meta.layerGroups().size(),
              shape(meta.inputShape()),
              "none (random weights)",
              "ready"));
    }
    return entries;
  }

  /**
   * The layer groups of a source model, with their output shapes at the model's input size when its
   * architecture is known here.
   *
   * @throws ModelLoadException when the reference cannot be read
   */
  public static List<GroupRow> groups(SourceModelRef ref) {
    ModelMetadata meta = SourceModels.describe(ref);
    if (meta == null) {
      throw new ModelLoadException(ref + " says its groups only once loaded (a model URL)");
    }
    List<Block> blocks = blocks(ref, meta);
    List<GroupRow> rows = new ArrayList<>();
    Shape current =
        new Shape(1).addAll(new Shape(meta.inputShape().stream().mapToLong(i -> i).toArray()));
    for (int i = 0; i < meta.layerGroups().size(); i++) {
      ModelMetadata.GroupSpec g = meta.layerGroups().get(i);
      String output = "?";
      if (blocks != null) {
        current = blocks.get(i).getOutputShapes(new Shape[] {current})[0];
        output = shape(current.slice(1));
      }
      String description =
          ref instanceof SourceModelRef.Zoo z ? z.model().groups().get(i).description() : "";
      rows.add(
          new GroupRow(g.name(), String.join(", ", g.parameterPrefixes()), output, description));
    }
    return rows;
  }

  private static List<Block> blocks(SourceModelRef ref, ModelMetadata meta) {
    return switch (ref) {
      case SourceModelRef.Zoo z -> z.model().buildGroups();
      case SourceModelRef.Scratch s -> s.architecture().buildGroups();
      case SourceModelRef.ParamsDir d -> {
        try {
          yield Architecture.parse(meta.architecture()).buildGroups();
        } catch (IllegalArgumentException e) {
          yield null;
        }
      }
      default -> null;
    };
  }

  private static String sourceTask(ModelMetadata meta) {
    if (meta.source() == null) {
      return "?";
    }
    Double accuracy = meta.source().accuracy();
    return meta.source().dataset()
        + (accuracy == null ? "" : String.format(Locale.ROOT, " (%.2f%%)", 100 * accuracy));
  }

  private static List<Path> pretrainedDirs() {
    Path models = ThawPaths.cacheDir().resolve("models");
    if (!Files.isDirectory(models)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(models)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve(ModelMetadata.FILE_NAME)))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String shape(List<Integer> s) {
    return s.stream().map(String::valueOf).reduce((a, b) -> a + "x" + b).orElse("?");
  }

  private static String shape(Shape s) {
    return shape(java.util.Arrays.stream(s.getShape()).mapToObj(l -> (int) l).toList());
  }
}
