package dev.thaw.trial;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The stages of a trial: an optional head-only warm-up, then fine-tuning at the freeze depth. */
public enum Stage {
  WARMUP,
  FINE_TUNE;

  @JsonValue
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
