package dev.thaw.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.sweep.search.SearchMethod;
import dev.thaw.sweep.space.Domain;
import dev.thaw.trial.ParameterName;
import java.util.EnumMap;
import java.util.Map;

/**
 * The {@code parameters} section, the search space: one form per parameter, read by {@link
 * ParameterForms}; checked per value by {@link ParameterValueChecks}, and here as a whole (slices,
 * per-group rates, a grid's size).
 */
final class ParametersSection {
  private ParametersSection() {}

  /** The parameters that could be read, by name; the others are reported and left out. */
  static Map<ParameterName, ParameterSpec> read(Fields r, ObjectNode root) {
    Map<ParameterName, ParameterSpec> result = new EnumMap<>(ParameterName.class);
    ObjectNode o = r.object(root, "", "parameters");
    if (o == null) {
      return result;
    }
    r.unknownKeys(o, "parameters", ParameterName.keys());
    ParameterForms forms = new ParameterForms(r);
    for (Map.Entry<String, JsonNode> entry : o.properties()) {
      var name = ParameterName.of(entry.getKey());
      if (name.isEmpty()) {
        continue;
      }
      ParameterSpec spec =
          forms.form(
              entry.getValue(),
              "parameters." + entry.getKey(),
              name.get() == ParameterName.LR_BACKBONE);
      if (spec != null) {
        result.put(name.get(), spec);
      }
    }
    return result;
  }

  /** The grid size when every dimension is finite and the count fits an int, else null. */
  static Integer gridSize(SweepSpec spec) {
    try {
      long size = spec.searchSpace().gridSize();
      return size > 0 && size <= Integer.MAX_VALUE ? (int) size : null;
    } catch (RuntimeException e) {
      return null; // an invalid domain: the validator reports it
    }
  }

  /** Checks every parameter, then for method grid that the grid is finite and fits max_trials. */
  static void check(SweepSpec spec, TaskSection.Backbone backbone, Checks c) {
    ParameterValueChecks values = new ParameterValueChecks(backbone, c);
    for (var e : spec.parameters().entrySet()) {
      parameter(e.getKey(), e.getValue(), "parameters." + e.getKey().key(), backbone, values, c);
    }
    if (spec.method() == SearchMethod.GRID) {
      try {
        grid(spec, c);
      } catch (RuntimeException e) {
        // a domain too broken to enumerate; its own errors are already reported
      }
    }
  }

  private static void parameter(
      ParameterName name,
      ParameterSpec spec,
      String path,
      TaskSection.Backbone backbone,
      ParameterValueChecks values,
      Checks c) {
    switch (spec) {
      case ParameterSpec.Value v -> values.value(name, v.value(), path + ".value");
      case ParameterSpec.Values vs -> {
        for (int i = 0; i < vs.values().size(); i++) {
          values.value(name, vs.values().get(i), path + ".values[" + i + "]");
        }
      }
      case ParameterSpec.Distribution d -> values.distribution(name, d, path);
      case ParameterSpec.Slice s -> {
        boolean fixed =
            s.lo() instanceof ParameterSpec.Value && s.hi() instanceof ParameterSpec.Value;
        String lo = fixed ? path + ".slice[0]" : path + ".slice.lo";
        String hi = fixed ? path + ".slice[1]" : path + ".slice.hi";
        int before = c.count();
        if (fixed) {
          values.value(name, ((ParameterSpec.Value) s.lo()).value(), lo);
          values.value(name, ((ParameterSpec.Value) s.hi()).value(), hi);
        } else {
          parameter(name, s.lo(), lo, backbone, values, c);
          parameter(name, s.hi(), hi, backbone, values, c);
        }
        if (c.count() == before) {
          sliceOrder(s, fixed, path, c);
        }
      }
      case ParameterSpec.PerGroup pg -> {
        for (int i = 0; i < pg.rates().size(); i++) {
          double r = pg.rates().get(i);
          if (!(r > 0)) {
            c.add(
                path + ".per_group[" + i + "]",
                "must be a positive learning rate (got " + Shown.number(r) + ")");
          }
        }
        var groups = backbone.groups();
        if (groups.isPresent() && pg.rates().size() != groups.getAsInt()) {
          c.add(
              path + ".per_group",
              "has "
                  + pg.rates().size()
                  + " rates but the backbone has "
                  + groups.getAsInt()
                  + " layer groups; give one rate per group, g0 first");
        }
      }
      case ParameterSpec.Decay d -> {
        values.positiveForm(d.factor(), path + ".decay", "a positive decay factor");
        if (d.top() != null && !(d.top() > 0)) {
          c.add(
              path + ".top",
              "must be a positive learning rate (got " + Shown.number(d.top()) + ")");
        }
      }
    }
  }

  private static void sliceOrder(ParameterSpec.Slice s, boolean fixed, String path, Checks c) {
    double loMax = bounds(s.lo())[1];
    double hiMin = bounds(s.hi())[0];
    if (loMax > hiMin) {
      c.add(
          path + ".slice",
          fixed
              ? "lo must be <= hi (got lo "
                  + Shown.number(loMax)
                  + " > hi "
                  + Shown.number(hiMin)
                  + "); lo is g0's rate, hi the top group's"
              : "lo must stay <= hi (lo can reach "
                  + Shown.number(loMax)
                  + " but hi can be as low as "
                  + Shown.number(hiMin)
                  + "); keep lo's range at or below hi's");
    }
  }

  /** The smallest and largest value a numeric form can take. */
  private static double[] bounds(ParameterSpec spec) {
    return switch (spec) {
      case ParameterSpec.Value v -> new double[] {v.value().doubleValue(), v.value().doubleValue()};
      case ParameterSpec.Values vs ->
          new double[] {
            vs.values().stream().mapToDouble(JsonNode::doubleValue).min().orElseThrow(),
            vs.values().stream().mapToDouble(JsonNode::doubleValue).max().orElseThrow()
          };
      case ParameterSpec.Distribution d -> new double[] {d.min(), d.max()};
      default -> new double[] {Double.NaN, Double.NaN};
    };
  }

  private static void grid(SweepSpec spec, Checks c) {
    var space = spec.searchSpace();
    boolean finite = true;
    for (var e : space.dimensions().entrySet()) {
      String parameter = "parameters." + e.getKey().split("\\.")[0];
      if (!c.none(parameter)) {
        finite = false; // already reported; its grid size means nothing
        continue;
      }
      if (e.getValue().gridSize() < 0) {
        finite = false;
        c.add(
            "parameters." + e.getKey(),
            "method grid needs a finite set of values, but "
                + e.getKey()
                + " is a continuous "
                + describe(e.getValue())
                + "; use values, int_uniform or q_uniform, or method random, sobol or tpe");
      }
    }
    if (!finite || !c.none("parameters")) {
      return; // the size of a broken grid would only add noise
    }
    long size;
    try {
      size = space.gridSize();
    } catch (ArithmeticException e) {
      size = Long.MAX_VALUE;
    }
    if (spec.maxTrials() != null && size > spec.maxTrials()) {
      StringBuilder factors = new StringBuilder();
      for (var e : space.dimensions().entrySet()) {
        if (e.getValue().gridSize() > 1) {
          factors.append(factors.isEmpty() ? "" : " x ");
          factors.append(e.getKey()).append(' ').append(e.getValue().gridSize());
        }
      }
      c.add(
          "max_trials",
          "the grid has "
              + size
              + " points ("
              + factors
              + ") but max_trials is "
              + spec.maxTrials()
              + "; raise max_trials, drop it to run the whole grid, or trim the grid");
    }
  }

  private static String describe(Domain d) {
    return switch (d) {
      case Domain.LogUniform l -> l.q() == null ? "log_uniform" : "q_log_uniform";
      case Domain.Uniform u -> "uniform";
      default -> "distribution";
    };
  }
}
