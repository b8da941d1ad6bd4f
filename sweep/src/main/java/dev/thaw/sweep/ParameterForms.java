package dev.thaw.sweep;

import static dev.thaw.sweep.Fields.present;
import static dev.thaw.sweep.PositionedYaml.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.sweep.ParameterSpec.Distribution;
import dev.thaw.text.Suggestions;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one parameter's form ({@code value}, {@code values}, {@code distribution}, and for {@code
 * lr_backbone} also {@code slice}, {@code per_group} and {@code decay}); its values are checked by
 * {@link ParameterValueChecks}.
 */
final class ParameterForms {
  private static final List<String> SCALAR_FORMS = List.of("value", "values", "distribution");
  private static final List<String> BACKBONE_FORMS =
      List.of("value", "values", "distribution", "slice", "per_group", "decay");
  private static final List<String> DISTRIBUTION_KEYS = List.of("min", "max", "q");

  private final Fields r;

  ParameterForms(Fields r) {
    this.r = r;
  }

  /** One parameter form; null (with an error) when it cannot be read. */
  ParameterSpec form(JsonNode node, String path, boolean backbone) {
    List<String> forms = backbone ? BACKBONE_FORMS : SCALAR_FORMS;
    if (!node.isObject()) {
      r.error(
          path,
          "must be a mapping with one of "
              + String.join(", ", forms)
              + " (got "
              + Shown.value(node)
              + "); e.g. {value: "
              + (node.isValueNode() && !node.isNull() ? node.toString() : "x")
              + "}");
      return null;
    }
    ObjectNode o = (ObjectNode) node;
    List<String> known = new ArrayList<>(forms);
    known.addAll(DISTRIBUTION_KEYS);
    if (backbone) {
      known.add("top");
    }
    List<String> misplaced =
        Distribution.Kind.keys().stream().filter(k -> o.has(k) && !known.contains(k)).toList();
    for (String kind : misplaced) {
      r.error(
          join(path, kind),
          "a distribution is written 'distribution: "
              + kind
              + "' beside its bounds, e.g. {distribution: "
              + kind
              + ", min: ..., max: ...}");
    }
    known.addAll(misplaced);
    r.unknownKeys(o, path, known);
    List<String> given = forms.stream().filter(k -> present(o, k)).toList();
    if (given.isEmpty()) {
      if (!misplaced.isEmpty()) {
        return null;
      }
      if (present(o, "min") || present(o, "max")) {
        r.error(
            join(path, "distribution"),
            "required with min and max: one of " + String.join(", ", Distribution.Kind.keys()));
      } else {
        r.error(path, "needs one of: " + String.join(", ", forms));
      }
      return null;
    }
    if (given.size() > 1) {
      r.error(
          path,
          "has "
              + String.join(" and ", given)
              + "; give exactly one of "
              + String.join(", ", forms));
      return null;
    }
    String form = given.get(0);
    if (!form.equals("distribution")) {
      for (String k : DISTRIBUTION_KEYS) {
        if (present(o, k)) {
          r.error(
              join(path, k), "is only used with distribution (this parameter uses " + form + ")");
        }
      }
    }
    if (!form.equals("decay") && present(o, "top")) {
      r.error(join(path, "top"), "is only used with decay");
    }
    return switch (form) {
      case "value" -> value(o.get("value"), join(path, "value"));
      case "values" -> valueList(o.get("values"), join(path, "values"));
      case "distribution" -> distribution(o, path);
      case "slice" -> slice(o.get("slice"), join(path, "slice"));
      case "per_group" -> perGroup(o.get("per_group"), join(path, "per_group"));
      default -> decay(o, path);
    };
  }

  private ParameterSpec value(JsonNode v, String path) {
    if (v.isNull()) {
      r.error(path, "must not be empty");
      return null;
    }
    if (!v.isValueNode()) {
      r.error(path, "must be a single value (got " + Shown.value(v) + "); use values for a list");
      return null;
    }
    return new ParameterSpec.Value(v);
  }

  private ParameterSpec valueList(JsonNode v, String path) {
    if (!v.isArray()) {
      r.error(path, "must be a list, e.g. values: [1, 2] (got " + Shown.value(v) + ")");
      return null;
    }
    if (v.isEmpty()) {
      r.error(path, "must not be empty: list at least one value");
      return null;
    }
    List<JsonNode> list = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isValueNode() || v.get(i).isNull()) {
        r.error(path + "[" + i + "]", "must be a single value (got " + Shown.value(v.get(i)) + ")");
        ok = false;
      }
      list.add(v.get(i));
    }
    return ok ? new ParameterSpec.Values(list) : null;
  }

  private ParameterSpec distribution(ObjectNode o, String path) {
    String name = r.text(o, path, "distribution");
    if (name == null) {
      return null;
    }
    var kind = Distribution.Kind.of(name);
    if (kind.isEmpty()) {
      r.error(
          join(path, "distribution"),
          "unknown distribution '"
              + name
              + "'"
              + Suggestions.didYouMean(name, Distribution.Kind.keys())
              + " (known: "
              + String.join(", ", Distribution.Kind.keys())
              + ")");
      return null;
    }
    Double min = r.number(o, path, "min");
    Double max = r.number(o, path, "max");
    Double q = r.number(o, path, "q");
    for (String k : List.of("min", "max")) {
      if (!present(o, k)) {
        r.error(join(path, k), "required for " + name);
      }
    }
    if (min == null || max == null || (q == null && present(o, "q"))) {
      return null;
    }
    return new Distribution(kind.get(), min, max, q);
  }

  private ParameterSpec slice(JsonNode s, String path) {
    if (s.isArray()) {
      if (s.size() != 2 || !s.get(0).isNumber() || !s.get(1).isNumber()) {
        r.error(path, "must be [lo, hi], two numbers (got " + Shown.value(s) + ")");
        return null;
      }
      return new ParameterSpec.Slice(
          new ParameterSpec.Value(s.get(0)), new ParameterSpec.Value(s.get(1)));
    }
    if (s.isObject()) {
      ObjectNode o = (ObjectNode) s;
      r.unknownKeys(o, path, List.of("lo", "hi"));
      ParameterSpec lo = null;
      ParameterSpec hi = null;
      for (String end : List.of("lo", "hi")) {
        if (!present(o, end)) {
          r.error(join(path, end), "required: a form such as {value: 1e-4} or a distribution");
          continue;
        }
        ParameterSpec f = form(o.get(end), join(path, end), false);
        if (end.equals("lo")) {
          lo = f;
        } else {
          hi = f;
        }
      }
      return lo == null || hi == null ? null : new ParameterSpec.Slice(lo, hi);
    }
    r.error(
        path,
        "must be [lo, hi] or {lo: <form>, hi: <form>} (got "
            + Shown.value(s)
            + "); e.g. [1e-5, 1e-3]");
    return null;
  }

  private ParameterSpec perGroup(JsonNode v, String path) {
    if (!v.isArray() || v.isEmpty()) {
      r.error(
          path,
          "must be a non-empty list of rates, g0 first, e.g. [1e-5, 1e-4] (got "
              + Shown.value(v)
              + ")");
      return null;
    }
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isNumber()) {
        r.error(path + "[" + i + "]", "must be a number (got " + Shown.value(v.get(i)) + ")");
        return null;
      }
      rates.add(v.get(i).doubleValue());
    }
    return new ParameterSpec.PerGroup(rates);
  }

  private ParameterSpec decay(ObjectNode o, String path) {
    JsonNode d = o.get("decay");
    Double top = r.number(o, path, "top");
    if (top == null && present(o, "top")) {
      return null;
    }
    ParameterSpec factor =
        d.isNumber() ? new ParameterSpec.Value(d) : form(d, join(path, "decay"), false);
    return factor == null ? null : new ParameterSpec.Decay(factor, top);
  }
}
