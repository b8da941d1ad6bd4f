package dev.thaw.trial;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The optimizer of a trial.
 *
 * @param name adam, adamw or sgd
 * @param momentum SGD momentum (default 0.9; ignored by Adam)
 * @param weightDecay weight decay for every trained parameter (default 0, or 0.01 for adamw)
 */
public record OptimizerSpec(Name name, Double momentum, Double weightDecay) {
  public OptimizerSpec {
    if (name == null) {
      name = Name.ADAM;
    }
    if (momentum == null) {
      momentum = 0.9;
    }
    if (weightDecay == null) {
      weightDecay = name == Name.ADAMW ? 0.01 : 0.0;
    }
  }

  /** Adam with no weight decay. */
  public static OptimizerSpec defaults() {
    return new OptimizerSpec(null, null, null);
  }

  /** The optimizers Thaw supports. */
  public enum Name {
    ADAM,
    ADAMW,
    SGD;

    @JsonValue
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Name parse(String key) {
      for (Name n : values()) {
        if (n.key().equals(key)) {
          return n;
        }
      }
      throw new IllegalArgumentException(
          "unknown optimizer '" + key + "'; known optimizers: adam, adamw, sgd");
    }
  }
}
