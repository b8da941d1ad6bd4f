package dev.thaw.trial;

/**
 * Learning rates of a trial: the head's, and the backbone's per layer group.
 *
 * @param head rate of the new head (default 1e-3)
 * @param backbone rates of the backbone groups (default 1e-4 for every group)
 */
public record LearningRates(Double head, BackboneLearningRates backbone) {
  public LearningRates {
    if (head == null) {
      head = 1e-3;
    }
    if (backbone == null) {
      backbone = new BackboneLearningRates.Uniform(1e-4);
    }
  }

  /** The defaults: head 1e-3, backbone 1e-4. */
  public static LearningRates defaults() {
    return new LearningRates(null, null);
  }
}
