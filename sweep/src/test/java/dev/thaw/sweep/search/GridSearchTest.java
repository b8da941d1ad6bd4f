package dev.thaw.sweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GridSearchTest {

  private static Set<String> expectedProduct() {
    Set<String> expected = new HashSet<>();
    for (JsonNode bs : Spaces.BATCH_SIZES) {
      for (double d : new double[] {0.05, 0.15, 0.25, 0.35, 0.45}) {
        for (long f = 0; f <= 8; f += 2) {
          expected.add(
              new Point(
                      Map.of(
                          "batch_size", bs,
                          "dropout", DoubleNode.valueOf(d),
                          "freeze_depth", LongNode.valueOf(f),
                          "optimizer", TextNode.valueOf("adam")))
                  .hash());
        }
      }
    }
    return expected;
  }

  @Test
  void coversTheCartesianProductExactlyOnce() {
    GridSearch grid = new GridSearch(Spaces.griddable(), 3);
    assertEquals(100, grid.size());
    List<String> hashes = new ArrayList<>();
    for (int i = 0; i < grid.size(); i++) {
      hashes.add(grid.propose(i, List.of()).orElseThrow().hash());
    }
    assertEquals(100, new HashSet<>(hashes).size(), "a point was proposed twice");
    assertEquals(expectedProduct(), new HashSet<>(hashes));
    assertTrue(grid.propose(100, List.of()).isEmpty());
    assertTrue(grid.propose(1000, List.of()).isEmpty());
  }

  @Test
  void gridIndexIsAPermutationAndDecodesMixedRadix() {
    GridSearch grid = new GridSearch(Spaces.griddable(), 3);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < grid.size(); i++) {
      seen.add(grid.gridIndex(i));
      assertEquals(grid.point(grid.gridIndex(i)), grid.propose(i, List.of()).orElseThrow());
    }
    assertEquals(grid.size(), seen.size());
    // Sorted names: batch_size, dropout, freeze_depth, optimizer; the last varies fastest.
    Point p = grid.point(1 * 25 + 2 * 5 + 3);
    assertEquals(Spaces.BATCH_SIZES.get(1), p.get("batch_size"));
    assertEquals(0.25, p.number("dropout"), 1e-12);
    assertEquals(6, p.get("freeze_depth").longValue());
    assertNotEquals(
        List.of(0, 1, 2, 3, 4, 5, 6, 7),
        java.util.stream.IntStream.range(0, 8).map(grid::gridIndex).boxed().toList(),
        "the order should be shuffled");
    assertThrows(IndexOutOfBoundsException.class, () -> grid.gridIndex(100));
  }

  @Test
  void orderDependsOnTheSeedOnly() {
    GridSearch a = new GridSearch(Spaces.griddable(), 1);
    GridSearch b = new GridSearch(Spaces.griddable(), 1);
    GridSearch c = new GridSearch(Spaces.griddable(), 2);
    int differ = 0;
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.gridIndex(i), b.gridIndex(i));
      differ += a.gridIndex(i) != c.gridIndex(i) ? 1 : 0;
    }
    assertTrue(differ > 50, "seeds 1 and 2 agree on " + (100 - differ) + " of 100 positions");
  }

  @Test
  void continuousDimensionIsRejectedByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new GridSearch(Spaces.mixed(), 1));
    // Sorted names: batch_size, dropout (uniform without q) comes before lr_head.
    assertTrue(e.getMessage().contains("'dropout'"), e.getMessage());
    assertTrue(e.getMessage().contains("random"), e.getMessage());
  }

  @Test
  void tooLargeGridIsRejected() {
    SearchSpace huge =
        new SearchSpace(
            Map.of(
                "a", new Domain.IntUniform(0, 99_999, null),
                "b", new Domain.IntUniform(0, 99_999, null)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new GridSearch(huge, 1));
    assertTrue(e.getMessage().contains("10000000000 points"), e.getMessage());
  }
}
