package dev.thaw.model.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.thaw.task.ModelLoadException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A safetensors file's tensors by name (DJL's {@link NDList#decode} reads the format), checked
 * against the parameters a build expects before any is assigned: a missing, unexpected or
 * mis-shaped tensor fails the load, each named.
 */
final class SafetensorsWeights {
  private final Map<String, NDArray> tensors;
  private final Path file;

  private SafetensorsWeights(Path file, Map<String, NDArray> tensors) {
    this.file = file;
    this.tensors = tensors;
  }

  /** Reads every tensor of {@code file} into {@code manager}. */
  static SafetensorsWeights read(Path file, NDManager manager) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
      NDList list = NDList.decode(manager, in);
      Map<String, NDArray> byName = new LinkedHashMap<>();
      for (NDArray a : list) {
        byName.put(a.getName(), a);
      }
      return new SafetensorsWeights(file, byName);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException(
          "cannot read safetensors file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks that the file holds exactly {@code expected} (name to shape), apart from {@code ignored}
   * tensors it may hold and the build does not use.
   *
   * @throws ModelLoadException naming every missing, unexpected and mis-shaped tensor
   */
  void check(Map<String, Shape> expected, Set<String> ignored) {
    List<String> problems = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    expected.forEach(
        (name, shape) -> {
          NDArray t = tensors.get(name);
          if (t == null) {
            missing.add(name);
          } else if (!t.getDataType().isFloating()) {
            problems.add("tensor '" + name + "' holds " + t.getDataType() + " where floats belong");
          } else if (!t.getShape().equals(shape)) {
            problems.add(
                "tensor '"
                    + name
                    + "' has shape "
                    + t.getShape()
                    + " but the architecture needs "
                    + shape);
          }
        });
    if (!missing.isEmpty()) {
      problems.add(0, "missing tensor(s) '" + String.join("', '", missing) + "'");
    }
    List<String> extra =
        tensors.keySet().stream()
            .filter(k -> !expected.containsKey(k) && !ignored.contains(k))
            .toList();
    if (!extra.isEmpty()) {
      problems.add(
          "unexpected tensor(s) '"
              + String.join("', '", extra)
              + "' (not part of this architecture)");
    }
    if (!problems.isEmpty()) {
      throw new ModelLoadException(
          file + " does not fit the architecture: " + String.join("; ", problems));
    }
  }

  /**
   * Gives each parameter its tensor as float32, moved to {@code into}; call after {@link #check}.
   * What is not assigned stays with the manager the file was read into.
   */
  void assign(Map<String, Parameter> parameters, NDManager into) {
    parameters.forEach(
        (name, p) -> {
          NDArray t = tensors.get(name);
          NDArray value =
              t.getDataType() == DataType.FLOAT32 ? t : t.toType(DataType.FLOAT32, true);
          value.attach(into);
          p.setArray(value);
        });
  }
}
