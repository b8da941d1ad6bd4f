package dev.thaw.model;

import ai.djl.nn.Parameter;
import java.util.List;

/**
 * One named layer group of a backbone, with the parameters it owns.
 *
 * @param name g0, g1, ... from input to output
 * @param parameters the group's parameters (their {@code getId()} keys the learning rates)
 */
public record LayerGroup(String name, List<Parameter> parameters) {
  public LayerGroup {
    parameters = List.copyOf(parameters);
  }

  /** Freezes or unfreezes every parameter of the group. */
  public void freeze(boolean frozen) {
    parameters.forEach(p -> p.freeze(frozen));
  }
}
