package dev.thaw.sweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every search strategy promises, run against each of them. */
class SearchStrategyContractTest {
  private static final int TRIALS = 60;

  private static SearchSpace spaceFor(SearchMethod m) {
    return m == SearchMethod.GRID ? Spaces.griddable() : Spaces.mixed();
  }

  private static List<Point> sequence(SearchMethod m, long seed, int trials) {
    return Spaces.run(m.strategy(spaceFor(m), seed), trials, Spaces::mixedObjective);
  }

  private static List<String> hashes(List<Point> points) {
    return points.stream().map(Point::hash).toList();
  }

  @ParameterizedTest
  @EnumSource(SearchMethod.class)
  void valuesStayInsideTheirDomains(SearchMethod m) {
    List<Point> points = sequence(m, 7, TRIALS);
    assertEquals(TRIALS, points.size());
    for (Point p : points) {
      double dropout = p.number("dropout");
      assertTrue(dropout >= 0.0 && dropout <= 0.5, p.toString());
      if (m == SearchMethod.GRID) {
        long steps = Math.round((dropout - 0.05) / 0.1);
        assertEquals(0.05 + steps * 0.1, dropout, 1e-9, p.toString());
      } else {
        double lr = p.number("lr_head");
        assertTrue(lr >= 1e-5 && lr <= 1e-1, p.toString());
      }
      JsonNode fd = p.get("freeze_depth");
      assertTrue(fd.isIntegralNumber(), p.toString());
      assertTrue(
          fd.longValue() >= 0 && fd.longValue() <= 8 && fd.longValue() % 2 == 0, p.toString());
      assertTrue(Spaces.BATCH_SIZES.contains(p.get("batch_size")), p.toString());
      assertEquals(TextNode.valueOf("adam"), p.get("optimizer"));
      assertEquals(spaceFor(m).names(), List.copyOf(p.values().keySet()));
    }
  }

  @ParameterizedTest
  @EnumSource(SearchMethod.class)
  void sameSeedSameSequenceOtherSeedOtherSequence(SearchMethod m) {
    List<String> a = hashes(sequence(m, 42, TRIALS));
    List<String> b = hashes(sequence(m, 42, TRIALS));
    List<String> c = hashes(sequence(m, 43, TRIALS));
    assertEquals(a, b);
    assertNotEquals(a, c);
    if (m == SearchMethod.GRID) {
      // The whole grid (100 points): same points, other order.
      List<String> all42 = hashes(sequence(m, 42, 1000));
      List<String> all43 = hashes(sequence(m, 43, 1000));
      assertEquals(100, all42.size());
      assertEquals(new HashSet<>(all42), new HashSet<>(all43));
      assertNotEquals(all42, all43);
    }
  }

  @ParameterizedTest
  @EnumSource(SearchMethod.class)
  void proposalDoesNotDependOnEarlierCalls(SearchMethod m) {
    List<Point> seq = sequence(m, 5, 8);
    SearchStrategy fresh = m.strategy(spaceFor(m), 5);
    // Index 7 with nothing completed: TPE is still in its random start-up there.
    assertEquals(seq.get(7), fresh.propose(7, List.of()).orElseThrow());
    assertEquals(seq.get(3), fresh.propose(3, List.of()).orElseThrow());
    assertEquals(seq.get(7), fresh.propose(7, List.of()).orElseThrow());
  }

  @ParameterizedTest
  @EnumSource(SearchMethod.class)
  void proposalsVary(SearchMethod m) {
    List<Point> points = sequence(m, 11, 30);
    assertTrue(new HashSet<>(hashes(points)).size() >= 25, m + " proposed " + points);
    assertFalse(points.stream().map(p -> p.get("batch_size")).distinct().count() < 3);
  }
}
