package dev.thaw.sweep.termination;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ObjectiveValuesTest {
  @Test
  void formatsFourSignificantDigits() {
    assertEquals("0.812", ObjectiveValues.format(0.812));
    assertEquals("0.8", ObjectiveValues.format(0.6 + 0.2));
    assertEquals("-0.3457", ObjectiveValues.format(-0.345678));
    assertEquals("1.235e6", ObjectiveValues.format(1234567));
    assertEquals("0.000015", ObjectiveValues.format(1.5e-5));
    assertEquals("1.5e-9", ObjectiveValues.format(1.5e-9));
    assertEquals("0", ObjectiveValues.format(-0.0));
    assertEquals("NaN", ObjectiveValues.format(Double.NaN));
    assertEquals("-inf", ObjectiveValues.format(Double.NEGATIVE_INFINITY));
  }

  @Test
  void medianRanksNanLowest() {
    assertEquals(2.0, ObjectiveValues.median(new double[] {3, Double.NaN, 2}));
    assertEquals(2.5, ObjectiveValues.median(new double[] {3, 2}));
    assertEquals(
        Double.NEGATIVE_INFINITY, ObjectiveValues.median(new double[] {Double.NaN, Double.NaN, 1}));
  }
}
