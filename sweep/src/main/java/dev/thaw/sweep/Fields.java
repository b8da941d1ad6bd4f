package dev.thaw.sweep;

import static dev.thaw.sweep.PositionedYaml.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.text.Suggestions;
import dev.thaw.trial.Metric;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Typed reads of one key of a mapping in a {@link PositionedYaml} tree. A wrong type is an error
 * (echoing the value) and reads as absent; an unknown key is an error with a "did you mean" and the
 * list of known keys.
 */
final class Fields {
  private static final Predicate<JsonNode> INT = v -> v.isIntegralNumber() && v.canConvertToInt();
  private static final Predicate<JsonNode> LONG = v -> v.isIntegralNumber() && v.canConvertToLong();

  private final PositionedYaml yaml;

  Fields(PositionedYaml yaml) {
    this.yaml = yaml;
  }

  /** An error at {@code path}. */
  void error(String path, String message) {
    yaml.error(path, message);
  }

  /** Whether {@code key} is given and not null. */
  static boolean present(ObjectNode o, String key) {
    return o.has(key) && !o.get(key).isNull();
  }

  static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  /** Reports each key of {@code o} (at {@code path}) that is not in {@code known}. */
  void unknownKeys(ObjectNode o, String path, List<String> known) {
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        yaml.errorAtKey(
            join(path, key),
            "unknown key '"
                + key
                + "'"
                + Suggestions.didYouMean(key, known)
                + " (known keys"
                + (path.isEmpty() ? "" : " of " + path)
                + ": "
                + String.join(", ", known)
                + ")");
      }
    }
  }

  ObjectNode object(ObjectNode o, String path, String key) {
    return typed(o, path, key, JsonNode::isObject, "a mapping of keys", v -> (ObjectNode) v);
  }

  /**
   * The mapping at top-level {@code key} with its unknown keys reported, or null when it is absent
   * or not a mapping.
   */
  ObjectNode section(ObjectNode root, String key, List<String> known) {
    ObjectNode o = object(root, "", key);
    if (o != null) {
      unknownKeys(o, key, known);
    }
    return o;
  }

  String text(ObjectNode o, String path, String key) {
    return typed(o, path, key, JsonNode::isTextual, "a string", JsonNode::asText);
  }

  Integer integer(ObjectNode o, String path, String key) {
    return typed(o, path, key, INT, "a whole number", JsonNode::intValue);
  }

  Long longValue(ObjectNode o, String path, String key) {
    return typed(o, path, key, LONG, "a whole number", JsonNode::longValue);
  }

  Double number(ObjectNode o, String path, String key) {
    return typed(o, path, key, JsonNode::isNumber, "a number", JsonNode::doubleValue);
  }

  Boolean bool(ObjectNode o, String path, String key) {
    return typed(o, path, key, JsonNode::isBoolean, "true or false", JsonNode::booleanValue);
  }

  /** A metric by its key; an unknown one is an error with a "did you mean". */
  Metric metric(ObjectNode o, String path, String key) {
    String text = text(o, path, key);
    if (text == null) {
      return null;
    }
    for (Metric m : Metric.values()) {
      if (m.key().equals(text)) {
        return m;
      }
    }
    List<String> names = Arrays.stream(Metric.values()).map(Metric::key).toList();
    error(
        join(path, key),
        "unknown metric '"
            + text
            + "'"
            + Suggestions.didYouMean(text, names)
            + " (known: "
            + metricKeys()
            + ")");
    return null;
  }

  static String metricKeys() {
    return String.join(", ", Arrays.stream(Metric.values()).map(Metric::key).toList());
  }

  /** The value at {@code key} as {@code as} reads it; null when absent or not {@code what}. */
  private <T> T typed(
      ObjectNode o,
      String path,
      String key,
      Predicate<JsonNode> fits,
      String what,
      Function<JsonNode, T> as) {
    if (!present(o, key)) {
      return null;
    }
    JsonNode v = o.get(key);
    if (!fits.test(v)) {
      error(join(path, key), "must be " + what + " (got " + Shown.value(v) + ")");
      return null;
    }
    return as.apply(v);
  }
}
