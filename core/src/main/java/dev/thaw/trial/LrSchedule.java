package dev.thaw.trial;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * How every learning rate of a trial (head and groups) moves over its training steps (the trial key
 * {@code lr_schedule}): the rate at step t of T is the configured rate times {@link #multiplier}.
 * Steps count every optimizer step of the trial, warm-up included, so T = steps per epoch x
 * (warmup_epochs + epochs); early stopping ends the schedule where it is.
 */
public enum LrSchedule {
  /** The configured rates throughout (default). */
  CONSTANT,
  /**
   * Slanted triangular (Howard and Ruder 2018, ULMFiT): with cut = floor(T x 0.1), p = t / cut
   * before the cut and 1 - (t - cut) / (cut x (1 / 0.1 - 1)) after it, the multiplier is (1 + p x
   * 31) / 32: a short linear climb from 1/32 to 1, then a long linear fall back to 1/32.
   */
  STLR,
  /**
   * One-cycle (Smith 2018, as PyTorch's {@code OneCycleLR}): over the first U = max(1, floor(0.3 x
   * T)) steps a cosine climb from 1/25 to 1, then a cosine fall to 1/(25 x 10^4) at the last step.
   */
  ONE_CYCLE,
  /** Cosine annealing (Loshchilov and Hutter 2017, no restarts): (1 + cos(pi x t / T)) / 2. */
  COSINE;

  /** STLR's share of steps that climb. */
  public static final double STLR_CUT_FRAC = 0.1;

  /** STLR's ratio of the largest to the smallest rate. */
  public static final double STLR_RATIO = 32;

  /** One-cycle's share of steps that climb. */
  public static final double ONE_CYCLE_PCT_START = 0.3;

  /** One-cycle's start: the rate / 25. */
  public static final double ONE_CYCLE_DIV = 25;

  /** One-cycle's end: the start / 10^4. */
  public static final double ONE_CYCLE_FINAL_DIV = 1e4;

  /**
   * The factor on every rate at step {@code t} (0-based) of {@code total} steps.
   *
   * @throws IllegalArgumentException unless 0 <= t and 1 <= total
   */
  public double multiplier(long t, long total) {
    if (t < 0 || total < 1) {
      throw new IllegalArgumentException("step " + t + " of " + total);
    }
    return switch (this) {
      case CONSTANT -> 1;
      case STLR -> {
        long cut = Math.max(1, (long) Math.floor(total * STLR_CUT_FRAC));
        double p =
            t < cut ? (double) t / cut : 1 - (double) (t - cut) / (cut * (1 / STLR_CUT_FRAC - 1));
        yield (1 + Math.max(0, p) * (STLR_RATIO - 1)) / STLR_RATIO;
      }
      case ONE_CYCLE -> {
        long up = Math.max(1, (long) Math.floor(total * ONE_CYCLE_PCT_START));
        double start = 1 / ONE_CYCLE_DIV;
        double end = start / ONE_CYCLE_FINAL_DIV;
        if (t < up) {
          yield cosineBetween(start, 1, (double) t / up);
        }
        long down = Math.max(1, total - 1 - up);
        yield cosineBetween(1, end, Math.min(1, (double) (t - up) / down));
      }
      case COSINE -> (1 + Math.cos(Math.PI * t / total)) / 2;
    };
  }

  /** From {@code from} at fraction 0 to {@code to} at fraction 1 along half a cosine. */
  private static double cosineBetween(double from, double to, double fraction) {
    return to + (from - to) * (1 + Math.cos(Math.PI * fraction)) / 2;
  }

  /** The key in trial and sweep files, e.g. {@code one_cycle}. */
  @JsonValue
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every key, for messages. */
  public static String keys() {
    return String.join(", ", Arrays.stream(values()).map(LrSchedule::key).toList());
  }

  /** Reads a key such as {@code stlr}. */
  @JsonCreator
  public static LrSchedule parse(String key) {
    for (LrSchedule s : values()) {
      if (s.key().equals(key)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown lr_schedule '" + key + "'; use " + keys());
  }
}
