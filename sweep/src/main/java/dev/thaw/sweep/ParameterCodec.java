package dev.thaw.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.FreezeDepth;
import dev.thaw.trial.ParameterName;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The dimension keys of a sweep's parameters in its search space, in both directions: {@link
 * ParameterSpec#addDimensions} writes them through the {@code encode} methods here, {@link
 * TrialSpecs} reads a point's values back through the {@code decode} methods. A plain parameter's
 * key is its {@link ParameterName#key()} ({@code dropout}); the transfer-learning forms of {@code
 * lr_backbone} add a suffix: {@code lr_backbone.slice.lo}, {@code .slice.hi}, {@code .per_group},
 * {@code .decay} and {@code .top}. These keys are what a trial's stored params hold, so they must
 * never change.
 */
public final class ParameterCodec {
  private static final String SLICE_LO = ".slice.lo";
  private static final String SLICE_HI = ".slice.hi";
  private static final String PER_GROUP = ".per_group";
  private static final String DECAY = ".decay";
  private static final String TOP = ".top";

  /** The word that stands for every layer group in {@code freeze_depth}. */
  static final String ALL = "all";

  private ParameterCodec() {}

  // --- encode: parameter path to dimension keys ---

  /** The key of the lower end of {@code path}'s slice, e.g. {@code lr_backbone.slice.lo}. */
  static String sliceLo(String path) {
    return path + SLICE_LO;
  }

  /** The key of the upper end of {@code path}'s slice. */
  static String sliceHi(String path) {
    return path + SLICE_HI;
  }

  /** The key of {@code path}'s per-group rates (one fixed array). */
  static String perGroup(String path) {
    return path + PER_GROUP;
  }

  /** The key of {@code path}'s decay factor. */
  static String decay(String path) {
    return path + DECAY;
  }

  /** The key of {@code path}'s top rate, next to a decay factor. */
  static String top(String path) {
    return path + TOP;
  }

  // --- decode: a point's values to trial values ---

  /** Whether {@code v} is the word {@code all}. */
  static boolean isAll(JsonNode v) {
    return v.isTextual() && v.asText().equals(ALL);
  }

  /**
   * Whether {@code freeze_depth} can be {@code all} in this space, which needs the source model's
   * group count to resolve.
   */
  public static boolean mayFreezeAll(SearchSpace space) {
    return switch (space.dimensions().get(ParameterName.FREEZE_DEPTH.key())) {
      case null -> false;
      case Domain.Fixed f -> f.value().isTextual();
      case Domain.Categorical c -> c.values().stream().anyMatch(JsonNode::isTextual);
      default -> false;
    };
  }

  /** The point's freeze depth, {@code all} resolved to {@code groups}; null when not set. */
  static FreezeDepth freezeDepth(Point point, int groups) {
    JsonNode fd = point.get(ParameterName.FREEZE_DEPTH.key());
    if (fd == null) {
      return null;
    }
    return isAll(fd) ? FreezeDepth.all(groups) : FreezeDepth.of(fd.intValue());
  }

  /** A numeric parameter, or null when not set. */
  static Double number(Point point, ParameterName name) {
    return number(point, name.key());
  }

  /** A whole-number parameter, or null when not set. */
  static Integer integer(Point point, ParameterName name) {
    JsonNode v = point.get(name.key());
    return v == null ? null : v.intValue();
  }

  /** A word parameter parsed by {@code parse}, or null when not set. */
  static <T> T word(Point point, ParameterName name, Function<String, T> parse) {
    JsonNode v = point.get(name.key());
    return v == null ? null : parse.apply(v.asText());
  }

  /** Whether the point sets {@code name} in any of its forms (for lr_backbone: any suffix). */
  static boolean sets(Point point, ParameterName name) {
    String key = name.key();
    return point.values().keySet().stream().anyMatch(k -> k.equals(key) || k.startsWith(key + "."));
  }

  /** The point's {@code lr_backbone} in whichever form it is set, or null. */
  static BackboneLearningRates backbone(Point point) {
    String path = ParameterName.LR_BACKBONE.key();
    if (point.get(path) != null) {
      return new BackboneLearningRates.Uniform(point.number(path));
    }
    if (point.get(sliceLo(path)) != null) {
      return new BackboneLearningRates.Slice(
          point.number(sliceLo(path)), point.number(sliceHi(path)));
    }
    JsonNode perGroup = point.get(perGroup(path));
    if (perGroup != null) {
      List<Double> rates = new ArrayList<>();
      perGroup.forEach(r -> rates.add(r.doubleValue()));
      return new BackboneLearningRates.PerGroup(rates);
    }
    if (point.get(decay(path)) != null) {
      return new BackboneLearningRates.Decay(point.number(decay(path)), number(point, top(path)));
    }
    return null;
  }

  private static Double number(Point point, String key) {
    return point.get(key) == null ? null : point.number(key);
  }
}
