package dev.thaw.sweep.termination;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ObjectivesTest {
  @Test
  void formatsFourSignificantDigits() {
    assertEquals("0.812", Objectives.format(0.812));
    assertEquals("0.8", Objectives.format(0.6 + 0.2));
    assertEquals("-0.3457", Objectives.format(-0.345678));
    assertEquals("1.235e6", Objectives.format(1234567));
    assertEquals("0.000015", Objectives.format(1.5e-5));
    assertEquals("1.5e-9", Objectives.format(1.5e-9));
    assertEquals("0", Objectives.format(-0.0));
    assertEquals("NaN", Objectives.format(Double.NaN));
    assertEquals("-inf", Objectives.format(Double.NEGATIVE_INFINITY));
  }

  @Test
  void medianRanksNanLowest() {
    assertEquals(2.0, Objectives.median(new double[] {3, Double.NaN, 2}));
    assertEquals(2.5, Objectives.median(new double[] {3, 2}));
    assertEquals(
        Double.NEGATIVE_INFINITY, Objectives.median(new double[] {Double.NaN, Double.NaN, 1}));
  }
}
