package dev.thaw.model.zoo;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import dev.thaw.model.nn.BatchNorm2d;
import dev.thaw.model.torch.TorchTensor;
import dev.thaw.task.ModelLoadException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;

/**
 * Which DJL parameter each PyTorch state-dict key fills, recorded while an architecture is built
 * (so that the names are written once, beside the layer they belong to), and the check and the
 * assignment of a state dict to them: every key must meet a parameter of the same shape and every
 * parameter a key, or the load fails naming each one that does not.
 */
final class StateDictBindings {
  private final Map<String, Parameter> byKey = new LinkedHashMap<>();
  private final Set<String> counters = new HashSet<>();

  /** A convolution's {@code weight} (and {@code bias}, when it has one) under {@code key}. */
  <T extends Block> T conv(String key, T conv) {
    bind(key + ".weight", conv.getParameters().get("weight"));
    if (conv.getParameters().contains("bias")) {
      bind(key + ".bias", conv.getParameters().get("bias"));
    }
    return conv;
  }

  /** A BatchNorm's {@code weight}, {@code bias}, running statistics and update counter. */
  BatchNorm2d batchNorm(String key, BatchNorm2d norm) {
    var p = norm.getParameters();
    bind(key + ".weight", p.get("gamma"));
    bind(key + ".bias", p.get("beta"));
    bind(key + ".running_mean", p.get("runningMean"));
    bind(key + ".running_var", p.get("runningVar"));
    // PyTorch counts updates only for momentum=None (a cumulative average); nothing uses it here.
    counters.add(key + ".num_batches_tracked");
    return norm;
  }

  /** A linear layer's {@code weight} and {@code bias}. */
  Linear linear(String key, Linear linear) {
    bind(key + ".weight", linear.getParameters().get("weight"));
    bind(key + ".bias", linear.getParameters().get("bias"));
    return linear;
  }

  /** The keys bound so far, in build order. */
  List<String> keys() {
    return List.copyOf(byKey.keySet());
  }

  /** The parameter bound to {@code key}, or null. */
  Parameter parameter(String key) {
    return byKey.get(key);
  }

  /**
   * Checks that a state dict fits the bound parameters, which must be initialised (their shapes are
   * the architecture's): every key meets a parameter of the same shape and every parameter a
   * floating-point tensor.
   *
   * @param where the file, for messages
   * @throws ModelLoadException naming every missing, unexpected, mis-shaped or integer tensor
   */
  void check(SequencedMap<String, TorchTensor> tensors, String where) {
    List<String> problems = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (var e : byKey.entrySet()) {
      TorchTensor t = tensors.get(e.getKey());
      if (t == null) {
        missing.add(e.getKey());
        continue;
      }
      Shape expected = e.getValue().getArray().getShape();
      if (!t.dtype().isFloatingPoint()) {
        problems.add(
            "tensor '" + e.getKey() + "' holds " + t.dtype() + " values where floats belong");
      } else if (!Arrays.equals(expected.getShape(), t.shape())) {
        problems.add(
            "tensor '"
                + e.getKey()
                + "' has shape "
                + Arrays.toString(t.shape())
                + " but the architecture needs "
                + Arrays.toString(expected.getShape()));
      }
    }
    if (!missing.isEmpty()) {
      problems.add(0, "missing tensor" + (missing.size() == 1 ? " " : "s ") + quoted(missing));
    }
    List<String> extra =
        tensors.keySet().stream()
            .filter(k -> !byKey.containsKey(k) && !counters.contains(k))
            .toList();
    if (!extra.isEmpty()) {
      problems.add(
          "unexpected tensor"
              + (extra.size() == 1 ? " " : "s ")
              + quoted(extra)
              + " (not part of this architecture)");
    }
    if (!problems.isEmpty()) {
      throw new ModelLoadException(
          where + " does not fit the architecture: " + String.join("; ", problems));
    }
  }

  /**
   * Gives each bound parameter of a build that is not initialised yet its tensor, as a new array of
   * {@code manager}; initialising the network afterwards only records its input shapes. Call it
   * with a state dict {@link #check} accepted on another build of the same architecture.
   */
  void assign(SequencedMap<String, TorchTensor> tensors, NDManager manager) {
    for (var e : byKey.entrySet()) {
      TorchTensor t = tensors.get(e.getKey());
      e.getValue().setArray(manager.create(t.toFloats(), new Shape(t.shape())));
    }
  }

  private void bind(String key, Parameter parameter) {
    if (byKey.put(key, parameter) != null) {
      throw new IllegalStateException("state-dict key " + key + " bound twice");
    }
  }

  private static String quoted(List<String> keys) {
    List<String> shown = keys.size() > 8 ? keys.subList(0, 8) : keys;
    String list = "'" + String.join("', '", shown) + "'";
    return keys.size() > shown.size()
        ? list + " and " + (keys.size() - shown.size()) + " more"
        : list;
  }
}
