package dev.thaw.sweep.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.thaw.sweep.search.SearchStrategy.Observation;
import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Search spaces and a sequential driver shared by the search tests. */
final class Spaces {
  private Spaces() {}

  static final List<JsonNode> BATCH_SIZES =
      List.of(IntNode.valueOf(16), IntNode.valueOf(32), IntNode.valueOf(64), TextNode.valueOf("x"));

  /** Every domain kind: uniform, log_uniform, int_uniform with q, categorical, fixed. */
  static SearchSpace mixed() {
    return new SearchSpace(
        Map.of(
            "dropout", new Domain.Uniform(0.0, 0.5, null),
            "lr_head", new Domain.LogUniform(1e-5, 1e-1, null),
            "freeze_depth", new Domain.IntUniform(0, 8, 2L),
            "batch_size", new Domain.Categorical(BATCH_SIZES),
            "optimizer", new Domain.Fixed(TextNode.valueOf("adam"))));
  }

  /** The griddable cousin of {@link #mixed()}: the uniform has a step, no log-uniform. */
  static SearchSpace griddable() {
    return new SearchSpace(
        Map.of(
            "dropout", new Domain.Uniform(0.05, 0.45, 0.1),
            "freeze_depth", new Domain.IntUniform(0, 8, 2L),
            "batch_size", new Domain.Categorical(BATCH_SIZES),
            "optimizer", new Domain.Fixed(TextNode.valueOf("adam"))));
  }

  static SearchSpace unitSquare() {
    return new SearchSpace(
        Map.of("x", new Domain.Uniform(0, 1, null), "y", new Domain.Uniform(0, 1, null)));
  }

  /** Runs {@code trials} proposals one after another, each completed before the next. */
  static List<Point> run(SearchStrategy s, int trials, ToDoubleFunction<Point> objective) {
    List<Observation> completed = new ArrayList<>();
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < trials; i++) {
      var p = s.propose(i, List.copyOf(completed));
      if (p.isEmpty()) {
        break;
      }
      points.add(p.get());
      completed.add(new Observation(p.get(), objective.applyAsDouble(p.get())));
    }
    return points;
  }

  /** A made-up objective for the mixed spaces: best near dropout 0.1, freeze_depth 2. */
  static double mixedObjective(Point p) {
    double d = p.number("dropout") - 0.1;
    double f = p.number("freeze_depth") - 2;
    return -d * d - 0.01 * f * f;
  }
}
