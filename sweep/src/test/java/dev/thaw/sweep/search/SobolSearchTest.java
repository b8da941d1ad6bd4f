package dev.thaw.sweep.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SobolSearchTest {
  private static final int N = 256;

  /** Hickernell's centred L2 discrepancy (squared) of points in [0, 1]^d; lower is more even. */
  static double centredL2(double[][] x) {
    int n = x.length;
    int d = x[0].length;
    double a = Math.pow(13.0 / 12.0, d);
    double b = 0;
    for (double[] p : x) {
      double prod = 1;
      for (int k = 0; k < d; k++) {
        double z = Math.abs(p[k] - 0.5);
        prod *= 1 + 0.5 * z - 0.5 * z * z;
      }
      b += prod;
    }
    double c = 0;
    for (double[] p : x) {
      for (double[] q : x) {
        double prod = 1;
        for (int k = 0; k < d; k++) {
          prod *=
              1
                  + 0.5 * Math.abs(p[k] - 0.5)
                  + 0.5 * Math.abs(q[k] - 0.5)
                  - 0.5 * Math.abs(p[k] - q[k]);
        }
        c += prod;
      }
    }
    return a - 2.0 / n * b + c / ((double) n * n);
  }

  private static double[][] points(SearchStrategy s) {
    double[][] x = new double[N][];
    for (int i = 0; i < N; i++) {
      Point p = s.propose(i, List.of()).orElseThrow();
      x[i] = new double[] {p.number("x"), p.number("y")};
    }
    return x;
  }

  @Test
  void fillsTheSquareMoreEvenlyThanRandom() {
    double randomMean = 0;
    int seeds = 10;
    for (int seed = 0; seed < seeds; seed++) {
      randomMean += centredL2(points(new RandomSearch(Spaces.unitSquare(), seed))) / seeds;
    }
    for (int seed = 0; seed < 3; seed++) {
      double sobol = centredL2(points(new SobolSearch(Spaces.unitSquare(), seed)));
      assertTrue(
          sobol < 0.25 * randomMean,
          "seed " + seed + ": Sobol CD2 " + sobol + " vs random mean " + randomMean);
    }
  }

  @Test
  void seedShiftsThePoints() {
    double[][] a = points(new SobolSearch(Spaces.unitSquare(), 1));
    double[][] b = points(new SobolSearch(Spaces.unitSquare(), 2));
    assertTrue(Math.abs(a[0][0] - b[0][0]) > 1e-6 || Math.abs(a[0][1] - b[0][1]) > 1e-6);
    // The shift is the same for every point (a rotation of one sequence).
    double dx = a[0][0] - b[0][0];
    double frac = (a[5][0] - b[5][0] - dx) % 1.0;
    assertEquals(0.0, Math.min(Math.abs(frac), 1 - Math.abs(frac)), 1e-9);
  }

  @Test
  void skipToAndOutOfOrderCallsGiveTheSamePoints() {
    SobolSearch sequential = new SobolSearch(Spaces.unitSquare(), 9);
    double[][] all = new double[40][];
    for (int i = 0; i < 40; i++) {
      all[i] = sequential.unit(i);
    }
    SobolSearch jumping = new SobolSearch(Spaces.unitSquare(), 9);
    jumping.skipTo(30);
    assertArrayEquals(all[30], jumping.unit(30));
    assertArrayEquals(all[31], jumping.unit(31));
    assertArrayEquals(all[2], jumping.unit(2));
    assertArrayEquals(all[39], jumping.unit(39));
  }

  @Test
  void fixedDimensionsTakeNoCoordinate() {
    Map<String, Domain> dims = new HashMap<>(Spaces.unitSquare().dimensions());
    dims.put("a_fixed", new Domain.Fixed(com.fasterxml.jackson.databind.node.IntNode.valueOf(1)));
    SobolSearch withFixed = new SobolSearch(new SearchSpace(dims), 4);
    SobolSearch without = new SobolSearch(Spaces.unitSquare(), 4);
    for (int i = 0; i < 10; i++) {
      Point p = withFixed.propose(i, List.of()).orElseThrow();
      Point q = without.propose(i, List.of()).orElseThrow();
      assertEquals(q.get("x"), p.get("x"));
      assertEquals(q.get("y"), p.get("y"));
      assertEquals(1, p.get("a_fixed").intValue());
    }
  }

  @Test
  void moreThanAThousandDimensionsIsAClearError() {
    Map<String, Domain> dims = new HashMap<>();
    for (int k = 0; k < 1001; k++) {
      dims.put("p" + k, new Domain.Uniform(0, 1, null));
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new SobolSearch(new SearchSpace(dims), 1));
    assertTrue(e.getMessage().contains("at most 1000") && e.getMessage().contains("1001"));
  }
}
