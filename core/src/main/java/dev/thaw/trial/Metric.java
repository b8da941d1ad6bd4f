package dev.thaw.trial;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A per-epoch metric a trial can monitor, with the direction in which it improves. */
public enum Metric {
  TRAIN_LOSS(Mode.MIN),
  VAL_LOSS(Mode.MIN),
  VAL_ACCURACY(Mode.MAX);

  private final Mode naturalMode;

  Metric(Mode naturalMode) {
    this.naturalMode = naturalMode;
  }

  /** Whether lower or higher values are better for this metric. */
  public Mode naturalMode() {
    return naturalMode;
  }

  /** Reads this metric from one epoch's figures. */
  public double of(EpochMetrics epoch) {
    return switch (this) {
      case TRAIN_LOSS -> epoch.trainLoss();
      case VAL_LOSS -> epoch.valLoss();
      case VAL_ACCURACY -> epoch.valAccuracy();
    };
  }

  /** The name used in files, logs and MLflow, e.g. {@code val_loss}. */
  @JsonValue
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a metric name, naming the valid ones when it is unknown. */
  @JsonCreator
  public static Metric parse(String key) {
    for (Metric m : values()) {
      if (m.key().equals(key)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown metric '"
            + key
            + "'; known metrics: "
            + Arrays.stream(values()).map(Metric::key).collect(Collectors.joining(", ")));
  }

  /** Direction of improvement. */
  public enum Mode {
    MIN,
    MAX;

    /** True when {@code candidate} beats {@code best} by more than {@code minDelta}. */
    public boolean improves(double candidate, double best, double minDelta) {
      if (Double.isNaN(candidate)) {
        return false;
      }
      if (Double.isNaN(best)) {
        return true;
      }
      return this == MIN ? candidate < best - minDelta : candidate > best + minDelta;
    }

    @JsonValue
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Mode parse(String key) {
      return switch (key) {
        case "min" -> MIN;
        case "max" -> MAX;
        default -> throw new IllegalArgumentException("unknown mode '" + key + "'; use min or max");
      };
    }
  }
}
