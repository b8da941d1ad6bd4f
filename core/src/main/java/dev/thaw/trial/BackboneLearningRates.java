package dev.thaw.trial;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How the backbone's layer groups get their learning rates: one value for all groups, one value per
 * group, a geometric slice from {@code lo} (g0) to {@code hi} (g(n-1)) as in fast.ai, or a
 * ULMFiT-style decay factor dividing the rate once per group going down from the top.
 *
 * <p>JSON forms: {@code 1e-4}, {@code [1e-5, 1e-5, 1e-4, 1e-4]}, {@code {"slice": [1e-5, 1e-3]}},
 * {@code {"decay": 2.6}} or {@code {"decay": 2.6, "top": 1e-3}}.
 */
@JsonDeserialize(using = BackboneLearningRates.Reader.class)
public sealed interface BackboneLearningRates {

  /**
   * Resolves the rate of every group.
   *
   * @param groups the backbone's group count n
   * @param headRate the head's learning rate (the decay form starts from it when no top is set)
   * @return n rates, index i for group gi
   */
  double[] resolve(int groups, double headRate);

  /** The same rate for every group. */
  record Uniform(double rate) implements BackboneLearningRates {
    @Override
    public double[] resolve(int groups, double headRate) {
      double[] rates = new double[groups];
      java.util.Arrays.fill(rates, rate);
      return rates;
    }

    @JsonValue
    double json() {
      return rate;
    }
  }

  /** One rate per group, g0 first. */
  record PerGroup(List<Double> rates) implements BackboneLearningRates {
    public PerGroup {
      rates = List.copyOf(rates);
    }

    @Override
    public double[] resolve(int groups, double headRate) {
      if (rates.size() != groups) {
        throw new IllegalArgumentException(
            "learning_rates.backbone: has "
                + rates.size()
                + " rates but the backbone has "
                + groups
                + " layer groups");
      }
      return rates.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @JsonValue
    List<Double> json() {
      return rates;
    }
  }

  /** A geometric progression from {@code lo} at g0 to {@code hi} at g(n-1). */
  record Slice(double lo, double hi) implements BackboneLearningRates {
    @Override
    public double[] resolve(int groups, double headRate) {
      double[] rates = new double[groups];
      for (int i = 0; i < groups; i++) {
        double t = groups == 1 ? 1.0 : (double) i / (groups - 1);
        rates[i] = lo * Math.pow(hi / lo, t);
      }
      return rates;
    }

    @JsonValue
    JsonNode json() {
      var node = JsonNodeFactory.instance.objectNode();
      node.putArray("slice").add(lo).add(hi);
      return node;
    }
  }

  /**
   * ULMFiT's discriminative fine-tuning: g(n-1) gets {@code top} (or the head rate divided by the
   * factor when top is absent) and each lower group the rate above it divided by {@code factor}.
   */
  record Decay(double factor, Double top) implements BackboneLearningRates {
    @Override
    public double[] resolve(int groups, double headRate) {
      double[] rates = new double[groups];
      double rate = top != null ? top : headRate / factor;
      for (int i = groups - 1; i >= 0; i--) {
        rates[i] = rate;
        rate /= factor;
      }
      return rates;
    }

    @JsonValue
    JsonNode json() {
      var node = JsonNodeFactory.instance.objectNode();
      node.put("decay", factor);
      if (top != null) {
        node.put("top", top);
      }
      return node;
    }
  }

  /** Reads the four JSON forms, with an error naming the field when none fits. */
  final class Reader extends StdDeserializer<BackboneLearningRates> {
    private static final long serialVersionUID = 1L;

    Reader() {
      super(BackboneLearningRates.class);
    }

    @Override
    public BackboneLearningRates deserialize(JsonParser p, DeserializationContext ctx)
        throws IOException {
      JsonNode node = p.readValueAsTree();
      if (node.isNumber()) {
        return new Uniform(node.doubleValue());
      }
      if (node.isArray()) {
        List<Double> rates = new ArrayList<>();
        for (JsonNode n : node) {
          if (!n.isNumber()) {
            return ctx.reportInputMismatch(
                this, "learning_rates.backbone: list entries must be numbers (got %s)", n);
          }
          rates.add(n.doubleValue());
        }
        return new PerGroup(rates);
      }
      if (node.isObject() && node.has("slice")) {
        JsonNode s = node.get("slice");
        if (!s.isArray() || s.size() != 2 || !s.get(0).isNumber() || !s.get(1).isNumber()) {
          return ctx.reportInputMismatch(
              this, "learning_rates.backbone.slice: must be [lo, hi] (got %s)", s);
        }
        return new Slice(s.get(0).doubleValue(), s.get(1).doubleValue());
      }
      if (node.isObject() && node.has("decay")) {
        JsonNode top = node.get("top");
        return new Decay(node.get("decay").doubleValue(), top == null ? null : top.doubleValue());
      }
      return ctx.reportInputMismatch(
          this,
          "learning_rates.backbone: expected a number, a list per group, {\"slice\": [lo, hi]}"
              + " or {\"decay\": factor} (got %s)",
          node);
    }
  }
}
