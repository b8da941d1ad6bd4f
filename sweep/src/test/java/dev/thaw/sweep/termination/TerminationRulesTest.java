package dev.thaw.sweep.termination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.thaw.sweep.EarlyTerminationSpec;
import org.junit.jupiter.api.Test;

class TerminationRulesTest {
  @Test
  void mapsEachSpecTypeToItsRule() {
    assertEquals(new NoTermination(), TerminationRules.of(new EarlyTerminationSpec.None()));
    assertEquals(
        new MedianStoppingRule(8, 2), TerminationRules.of(new EarlyTerminationSpec.Median(8, 2)));
    assertEquals(
        new AshaRule(2, 4, 3), TerminationRules.of(new EarlyTerminationSpec.Asha(2, 4, 3)));
  }

  @Test
  void invalidSettingsFailWithTheKeyName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TerminationRules.of(new EarlyTerminationSpec.Asha(1, 3, 0)));
    assertEquals("asha: brackets must be >= 1 (got 0)", e.getMessage());
  }
}
