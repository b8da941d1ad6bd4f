package dev.thaw.train;

import ai.djl.nn.Parameter;
import ai.djl.training.tracker.ParameterTracker;
import dev.thaw.model.LayerGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Discriminative learning rates: every backbone parameter gets its group's rate, every other
 * parameter (the head) the head's rate. Keyed by {@link Parameter#getId()}, as DJL's optimizers
 * ask.
 */
public final class GroupLearningRates implements ParameterTracker {
  private final Map<String, Float> rateById = new HashMap<>();
  private final float headRate;
  private volatile float scale = 1f;

  /**
   * @param groups the backbone's groups, g0 first
   * @param groupRates one rate per group
   * @param headRate the head's rate (and any parameter outside the groups)
   */
  public GroupLearningRates(List<LayerGroup> groups, double[] groupRates, double headRate) {
    if (groups.size() != groupRates.length) {
      throw new IllegalArgumentException(
          groupRates.length + " group rates for " + groups.size() + " groups");
    }
    this.headRate = (float) headRate;
    for (int i = 0; i < groups.size(); i++) {
      for (Parameter p : groups.get(i).parameters()) {
        rateById.put(p.getId(), (float) groupRates[i]);
      }
    }
  }

  /** Multiplies every rate by {@code factor} from the next step on (a learning-rate schedule). */
  public void scale(double factor) {
    scale = (float) factor;
  }

  @Override
  public float getNewValue(String parameterId, int numUpdate) {
    return rateById.getOrDefault(parameterId, headRate) * scale;
  }
}
