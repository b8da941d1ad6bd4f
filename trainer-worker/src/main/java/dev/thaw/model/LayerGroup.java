package dev.thaw.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.thaw.model.nn.BatchNorm2d;
import dev.thaw.model.nn.InferenceModeSwitch;
import dev.thaw.trial.BatchNormMode;
import java.util.ArrayList;
import java.util.List;

/**
 * One named layer group of a backbone, with the parameters it owns and the layers that behave
 * differently in training: its BatchNorm layers, and the others that a frozen group holds in
 * inference mode (stochastic-depth residual blocks, ReLU6).
 *
 * @param name g0, g1, ... from input to output
 * @param parameters the group's parameters (their {@code getId()} keys the learning rates)
 * @param batchNorms the group's BatchNorm layers
 * @param switches the group's other layers with an inference mode
 */
public record LayerGroup(
    String name,
    List<Parameter> parameters,
    List<BatchNorm2d> batchNorms,
    List<InferenceModeSwitch> switches) {
  public LayerGroup {
    parameters = List.copyOf(parameters);
    batchNorms = List.copyOf(batchNorms);
    switches = List.copyOf(switches);
  }

  /** A group of plain parameters, with no layer that depends on the training mode. */
  public LayerGroup(String name, List<Parameter> parameters) {
    this(name, parameters, List.of(), List.of());
  }

  /** The group made of {@code block}: its parameters and its mode-dependent layers. */
  public static LayerGroup of(String name, Block block) {
    List<BatchNorm2d> norms = new ArrayList<>();
    List<InferenceModeSwitch> switches = new ArrayList<>();
    collect(block, norms, switches);
    return new LayerGroup(name, block.getParameters().values(), norms, switches);
  }

  private static void collect(
      Block block, List<BatchNorm2d> norms, List<InferenceModeSwitch> switches) {
    if (block instanceof BatchNorm2d norm) {
      norms.add(norm);
    } else if (block instanceof InferenceModeSwitch layer) {
      switches.add(layer);
    }
    block.getChildren().values().forEach(child -> collect(child, norms, switches));
  }

  /** Freezes or unfreezes the group; its BatchNorm layers train along with it. */
  public void freeze(boolean frozen) {
    setMode(frozen, BatchNormMode.TRAIN);
  }

  /**
   * Sets how the group trains. A frozen group runs in inference mode: its parameters get no
   * updates, its BatchNorm layers normalise by their running statistics and leave them as they are,
   * its residual blocks drop nothing and its activations take their inference form. An unfrozen
   * group trains; with {@link BatchNormMode#FROZEN} its BatchNorm layers still stay as in a frozen
   * group.
   */
  public void setMode(boolean frozen, BatchNormMode batchNorm) {
    boolean normsFrozen = frozen || batchNorm == BatchNormMode.FROZEN;
    for (Parameter p : parameters) {
      Parameter.Type type = p.getType();
      if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
        continue; // never trained: unfreezing must not make them require gradients
      }
      boolean normParameter = type == Parameter.Type.GAMMA || type == Parameter.Type.BETA;
      p.freeze(normParameter ? normsFrozen : frozen);
    }
    batchNorms.forEach(n -> n.useRunningStatistics(normsFrozen));
    switches.forEach(layer -> layer.useInferenceMode(frozen));
  }
}
