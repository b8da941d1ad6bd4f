package dev.thaw.trial;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How the BatchNorm layers of the unfrozen layer groups behave while a trial trains (the trial key
 * {@code batch_norm}). Frozen groups always keep theirs in inference mode.
 */
public enum BatchNormMode {
  /** They train: batch statistics, running statistics updated, scale and shift learnt (default). */
  TRAIN,
  /**
   * They stay as pretrained: running statistics, no update, scale and shift fixed. Steadier with
   * small batches or a target close to the source.
   */
  FROZEN;

  /** The key in trial and sweep files. */
  @JsonValue
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code train} or {@code frozen}. */
  @JsonCreator
  public static BatchNormMode parse(String key) {
    for (BatchNormMode m : values()) {
      if (m.key().equals(key)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown batch_norm '" + key + "'; use train (the default) or frozen");
  }
}
