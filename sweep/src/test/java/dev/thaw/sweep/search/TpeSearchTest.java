package dev.thaw.sweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.sweep.search.SearchStrategy.Observation;
import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TpeSearchTest {

  private static double distanceToOptimum(Point p) {
    double dx = p.number("x") - 0.8;
    double dy = p.number("y") - 0.2;
    return Math.sqrt(dx * dx + dy * dy);
  }

  private static double meanDistanceOfLast20(SearchStrategy s) {
    List<Point> points = Spaces.run(s, 60, p -> -distanceToOptimum(p));
    return points.subList(40, 60).stream()
        .mapToDouble(TpeSearchTest::distanceToOptimum)
        .average()
        .orElseThrow();
  }

  @Test
  void concentratesNearTheGoodRegion() {
    for (long seed = 1; seed <= 3; seed++) {
      double tpe = meanDistanceOfLast20(new TpeSearch(Spaces.unitSquare(), seed));
      double random = meanDistanceOfLast20(new RandomSearch(Spaces.unitSquare(), seed));
      assertTrue(tpe < 0.5 * random, "seed " + seed + ": TPE " + tpe + " vs random " + random);
    }
  }

  @Test
  void prefersTheGoodCategory() {
    List<JsonNode> sizes = Spaces.BATCH_SIZES;
    SearchSpace space =
        new SearchSpace(
            Map.of(
                "batch_size", new Domain.Categorical(sizes),
                "x", new Domain.Uniform(0, 1, null)));
    List<Point> points =
        Spaces.run(
            new TpeSearch(space, 3),
            80,
            p -> (p.get("batch_size").equals(sizes.get(2)) ? 1.0 : 0.0) - p.number("x") * 0.1);
    long good =
        points.subList(40, 80).stream()
            .filter(p -> p.get("batch_size").equals(sizes.get(2)))
            .count();
    assertTrue(good >= 25, "only " + good + " of the last 40 proposals use the best batch size");
  }

  @Test
  void startsAsRandomSearchThenUsesTheModel() {
    TpeSearch tpe = new TpeSearch(Spaces.mixed(), 8);
    RandomSearch random = new RandomSearch(Spaces.mixed(), 8);
    List<Observation> completed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Point p = tpe.propose(i, completed).orElseThrow();
      assertEquals(random.propose(i, List.of()).orElseThrow(), p);
      completed.add(new Observation(p, Spaces.mixedObjective(p)));
    }
    // Index 12 with only 5 results: still random.
    assertEquals(
        random.propose(12, List.of()).orElseThrow(),
        tpe.propose(12, completed.subList(0, 5)).orElseThrow());
    // With 10 results the model takes over, deterministically.
    Point modelled = tpe.propose(10, completed).orElseThrow();
    assertNotEquals(random.propose(10, List.of()).orElseThrow(), modelled);
    assertEquals(modelled, new TpeSearch(Spaces.mixed(), 8).propose(10, completed).orElseThrow());
  }

  @Test
  void badSettingsAndForeignObservationsAreRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> new TpeSearch(Spaces.unitSquare(), 1, 10, 1.5, 24));
    assertThrows(
        IllegalArgumentException.class, () -> new TpeSearch(Spaces.unitSquare(), 1, 0, 0.25, 24));
    TpeSearch tpe = new TpeSearch(Spaces.unitSquare(), 1, 1, 0.25, 24);
    Point other =
        new Point(Map.of("x", com.fasterxml.jackson.databind.node.DoubleNode.valueOf(0.5)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> tpe.propose(3, List.of(new Observation(other, 1.0))));
    assertTrue(e.getMessage().contains("'y'"), e.getMessage());
  }
}
