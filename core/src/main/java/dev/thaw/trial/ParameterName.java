package dev.thaw.trial;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The trial hyperparameters a sweep may set or search, by their key under a sweep file's {@code
 * parameters}. The key is also the parameter's name in a trial's stored params and its MLflow param
 * name, so it lives here, beside the trial spec, for the sweep, the worker and the orchestrator.
 */
public enum ParameterName {
  FREEZE_DEPTH(true),
  LR_HEAD(false),
  LR_BACKBONE(false),
  WEIGHT_DECAY(false),
  MOMENTUM(false),
  OPTIMIZER(false),
  BATCH_SIZE(true),
  DROPOUT(false),
  EPOCHS(true),
  WARMUP_EPOCHS(true),
  INPUT_SIZE(true),
  AUGMENTATION(false, true),
  BATCH_NORM(false, true),
  UNFREEZE_EVERY(true),
  LR_SCHEDULE(false, true);

  private final boolean whole;
  private final boolean choice;

  ParameterName(boolean whole) {
    this(whole, false);
  }

  ParameterName(boolean whole, boolean choice) {
    this.whole = whole;
    this.choice = choice;
  }

  /**
   * True for parameters that take one of a set of words (optimizer, augmentation, batch_norm,
   * lr_schedule).
   */
  public boolean choice() {
    return choice || this == OPTIMIZER;
  }

  /** The key in sweep files, e.g. {@code lr_head}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for whole-number parameters (their distributions must be int_uniform). */
  public boolean wholeNumber() {
    return whole;
  }

  /** The parameter with this key, if any. */
  public static Optional<ParameterName> of(String key) {
    return Arrays.stream(values()).filter(p -> p.key().equals(key)).findFirst();
  }

  /** Every key, in declaration order. */
  public static List<String> keys() {
    return Arrays.stream(values()).map(ParameterName::key).toList();
  }
}
