package dev.thaw.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.thaw.sweep.space.Domain;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How one entry under {@code parameters} is set or searched. The first three forms apply to every
 * parameter; {@link Slice}, {@link PerGroup} and {@link Decay} are the transfer-learning forms of
 * {@code lr_backbone}.
 */
public sealed interface ParameterSpec {

  /**
   * Adds this parameter's search dimensions under {@code path}, keyed as {@link ParameterCodec}
   * encodes them.
   *
   * @param path the dimension path of this parameter, e.g. {@code lr_backbone}
   * @param into the dimensions being collected
   */
  void addDimensions(String path, Map<String, Domain> into);

  /** {@code {value: x}}: one fixed value. */
  record Value(JsonNode value) implements ParameterSpec {
    @Override
    public void addDimensions(String path, Map<String, Domain> into) {
      into.put(path, new Domain.Fixed(value));
    }
  }

  /** {@code {values: [a, b, c]}}: a list to choose from (gridded one by one). */
  record Values(List<JsonNode> values) implements ParameterSpec {
    public Values {
      values = List.copyOf(values);
    }

    @Override
    public void addDimensions(String path, Map<String, Domain> into) {
      into.put(path, new Domain.Categorical(values));
    }
  }

  /**
   * {@code {distribution: uniform, min: a, max: b, q: s}}. {@code min}/{@code max} are null only in
   * an invalid file (reported by the loader).
   */
  record Distribution(Kind kind, Double min, Double max, Double q) implements ParameterSpec {
    @Override
    public void addDimensions(String path, Map<String, Domain> into) {
      into.put(
          path,
          switch (kind) {
            case UNIFORM -> new Domain.Uniform(min, max, null);
            case Q_UNIFORM -> new Domain.Uniform(min, max, q);
            case LOG_UNIFORM -> new Domain.LogUniform(min, max, null);
            case Q_LOG_UNIFORM -> new Domain.LogUniform(min, max, q);
            case INT_UNIFORM ->
                new Domain.IntUniform(
                    Math.round(min), Math.round(max), q == null ? null : Math.round(q));
          });
    }

    /** The distributions a parameter can follow. */
    public enum Kind {
      UNIFORM,
      LOG_UNIFORM,
      INT_UNIFORM,
      Q_UNIFORM,
      Q_LOG_UNIFORM;

      /** The name in sweep files, e.g. {@code log_uniform}. */
      public String key() {
        return name().toLowerCase(Locale.ROOT);
      }

      /** True for the quantised forms, which require {@code q}. */
      public boolean quantised() {
        return this == Q_UNIFORM || this == Q_LOG_UNIFORM;
      }

      /** True for the log-scale forms, which require {@code min > 0}. */
      public boolean logScale() {
        return this == LOG_UNIFORM || this == Q_LOG_UNIFORM;
      }

      /** The kind with this name, if any. */
      public static Optional<Kind> of(String key) {
        for (Kind k : values()) {
          if (k.key().equals(key)) {
            return Optional.of(k);
          }
        }
        return Optional.empty();
      }

      /** Every name. */
      public static List<String> keys() {
        return java.util.Arrays.stream(values()).map(Kind::key).toList();
      }
    }
  }

  /**
   * {@code lr_backbone: {slice: [lo, hi]}} (both {@link Value}s) or {@code {slice: {lo: <form>, hi:
   * <form>}}}: a geometric progression from lo at g0 to hi at g(n-1). Dimensions {@code
   * <path>.slice.lo} and {@code <path>.slice.hi}.
   */
  record Slice(ParameterSpec lo, ParameterSpec hi) implements ParameterSpec {
    @Override
    public void addDimensions(String path, Map<String, Domain> into) {
      lo.addDimensions(ParameterCodec.sliceLo(path), into);
      hi.addDimensions(ParameterCodec.sliceHi(path), into);
    }
  }

  /** {@code lr_backbone: {per_group: [r0, r1, ...]}}: one fixed rate per group, g0 first. */
  record PerGroup(List<Double> rates) implements ParameterSpec {
    public PerGroup {
      rates = List.copyOf(rates);
    }

    @Override
    public void addDimensions(String path, Map<String, Domain> into) {
      var array = JsonNodeFactory.instance.arrayNode();
      rates.forEach(array::add);
      into.put(ParameterCodec.perGroup(path), new Domain.Fixed(array));
    }
  }

  /**
   * {@code lr_backbone: {decay: <number or form>, top: <number>}}: ULMFiT's factor per group going
   * down. Dimensions {@code <path>.decay} and, when set, {@code <path>.top}.
   */
  record Decay(ParameterSpec factor, Double top) implements ParameterSpec {
    @Override
    public void addDimensions(String path, Map<String, Domain> into) {
      factor.addDimensions(ParameterCodec.decay(path), into);
      if (top != null) {
        into.put(
            ParameterCodec.top(path), new Domain.Fixed(JsonNodeFactory.instance.numberNode(top)));
      }
    }
  }
}
