package dev.thaw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class DepthAccuracyTest {
  @Test
  void summarisesSeedsWithTheSampleStandardDeviation() {
    DepthAccuracy d = DepthAccuracy.of(2, new double[] {0.90, 0.92, 0.94});
    assertEquals(3, d.seeds());
    assertEquals(0.92, d.mean(), 1e-12);
    assertEquals(0.02, d.sd(), 1e-12); // n - 1: sqrt((0.02^2 + 0 + 0.02^2) / 2)
    assertEquals(0.90, d.min(), 0.0);
    assertEquals(0.94, d.max(), 0.0);
  }

  @Test
  void bestIsTheHighestMeanAndRunnerUpTheNext() {
    List<DepthAccuracy> byDepth =
        List.of(
            DepthAccuracy.of(0, new double[] {0.80}),
            DepthAccuracy.of(1, new double[] {0.85}),
            DepthAccuracy.of(2, new double[] {0.83}));
    assertEquals(1, DepthAccuracy.best(byDepth).depth());
    assertEquals(2, DepthAccuracy.runnerUp(byDepth).depth());
  }

  @Test
  void aTieGoesToTheShallowerDepth() {
    List<DepthAccuracy> byDepth =
        List.of(
            DepthAccuracy.of(3, new double[] {0.25, 0.75}),
            DepthAccuracy.of(1, new double[] {0.5, 0.5}));
    assertEquals(1, DepthAccuracy.best(byDepth).depth());
    assertEquals(3, DepthAccuracy.runnerUp(byDepth).depth());
  }

  @Test
  void oneDepthHasNoRunnerUp() {
    assertNull(DepthAccuracy.runnerUp(List.of(DepthAccuracy.of(0, new double[] {0.9}))));
  }
}
