package dev.thaw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {
  @Test
  void percentilesInterpolateLikeNumpy() {
    // 1..100 ms: numpy.percentile gives 50.5 and 99.01 (linear interpolation, R-7).
    double[] millis = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
    LatencySummary s = LatencySummary.of(millis);
    assertEquals(100, s.count());
    assertEquals(50.5, s.p50(), 1e-9);
    assertEquals(99.01, s.p99(), 1e-9);
    assertEquals(100.0, s.max(), 0.0);
  }

  @Test
  void noSamplesGiveNaN() {
    LatencySummary s = LatencySummary.of(new double[0]);
    assertEquals(0, s.count());
    assertTrue(Double.isNaN(s.p99()));
  }
}
