package dev.thaw.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The ULMFiT trial keys: lr_schedule's formulas, unfreeze_every's depths, and their JSON. */
class UlmfitKeysTest {
  private static final TrialSpec PLAIN =
      TrialSpec.builder("scratch:thaw-cnn", TargetSpec.of("mnist")).seed(3L).build();

  @Test
  void stlrFollowsHowardAndRudersFormula() {
    // T = 200: cut = 20; p = t / 20 before it, 1 - (t - 20) / (20 * 9) after; (1 + 31 p) / 32.
    long total = 200;
    for (long t = 0; t < total; t++) {
      double p = t < 20 ? t / 20.0 : 1 - (t - 20) / 180.0;
      assertEquals((1 + p * 31) / 32, LrSchedule.STLR.multiplier(t, total), 1e-15, "t=" + t);
    }
    assertEquals(1 / 32.0, LrSchedule.STLR.multiplier(0, total), 0);
    assertEquals(1.0, LrSchedule.STLR.multiplier(20, total), 0);
    assertEquals(1 / 32.0 + 31 / 32.0 / 180, LrSchedule.STLR.multiplier(199, total), 1e-15);
  }

  @Test
  void oneCycleClimbsFromAFortiethAndEndsTenThousandTimesLower() {
    long total = 100; // climb over 30 steps, fall over the last 70
    assertEquals(1 / 25.0, LrSchedule.ONE_CYCLE.multiplier(0, total), 1e-15);
    assertEquals(1.0, LrSchedule.ONE_CYCLE.multiplier(30, total), 1e-15);
    assertEquals(1 / 25.0 / 1e4, LrSchedule.ONE_CYCLE.multiplier(99, total), 1e-15);
    double mid = 1 / 25.0 + (1 - 1 / 25.0) * (1 - Math.cos(Math.PI * 15 / 30)) / 2;
    assertEquals(mid, LrSchedule.ONE_CYCLE.multiplier(15, total), 1e-15);
    double[] m =
        IntStream.range(0, 100).mapToDouble(t -> LrSchedule.ONE_CYCLE.multiplier(t, 100)).toArray();
    for (int t = 1; t < 100; t++) {
      assertTrue(t <= 30 ? m[t] > m[t - 1] : m[t] < m[t - 1], "monotone halves at t=" + t);
    }
  }

  @Test
  void cosineAndConstant() {
    for (long t = 0; t < 10; t++) {
      assertEquals((1 + Math.cos(Math.PI * t / 10)) / 2, LrSchedule.COSINE.multiplier(t, 10), 0);
      assertEquals(1.0, LrSchedule.CONSTANT.multiplier(t, 10), 0);
    }
    assertEquals(1.0, LrSchedule.STLR.multiplier(0, 1) * 32, 0, "one step: the lowest rate");
  }

  @Test
  void gradualUnfreezingThawsOneGroupFromTheTopEveryNEpochsDownToTheFreezeDepth() {
    TrialSpec every1 = PLAIN.toBuilder().unfreezeEvery(1).build();
    assertEquals(List.of(3, 2, 1, 0, 0), depths(every1, 4, 5));
    TrialSpec every2 = PLAIN.toBuilder().unfreezeEvery(2).freezeDepth(2).build();
    assertEquals(List.of(3, 3, 2, 2, 2), depths(every2, 4, 5));
    assertEquals(List.of(2, 2, 2), depths(PLAIN.toBuilder().freezeDepth(2).build(), 4, 3));
  }

  private static List<Integer> depths(TrialSpec spec, int n, int epochs) {
    return IntStream.rangeClosed(1, epochs).mapToObj(e -> spec.frozenGroupsAt(e, n)).toList();
  }

  @Test
  void unsetKeysLeaveOlderHashesAloneAndSetOnesRoundTrip() {
    assertFalse(PLAIN.toJson().contains("unfreeze_every"), PLAIN.toJson());
    assertFalse(PLAIN.toJson().contains("lr_schedule"), PLAIN.toJson());
    assertEquals(LrSchedule.CONSTANT, PLAIN.lrScheduleOrConstant());
    TrialSpec set = PLAIN.toBuilder().unfreezeEvery(2).lrSchedule(LrSchedule.ONE_CYCLE).build();
    assertTrue(set.toJson().contains("\"lr_schedule\" : \"one_cycle\""), set.toJson());
    assertTrue(set.toJson().contains("\"unfreeze_every\" : 2"), set.toJson());
    assertEquals(set, TrialSpec.fromJson(set.toJson(), "round trip"));
    assertNotEquals(PLAIN.configHash(), set.configHash());
  }

  @Test
  void badValuesAreNamed() {
    var e =
        assertThrows(
            InvalidTrialSpecException.class,
            () ->
                TrialSpec.fromJson(
                    PLAIN.toJson().replaceFirst("\\{", "{\"lr_schedule\": \"slanted\","),
                    "t.json"));
    assertTrue(
        e.getMessage()
            .contains("unknown lr_schedule 'slanted'; use constant, stlr, one_cycle, cosine"),
        e.getMessage());
    List<String> errors = TrialSpecValidator.errors(PLAIN.toBuilder().unfreezeEvery(0).build(), 4);
    assertEquals(
        List.of("unfreeze_every: must be >= 1 epoch per newly unfrozen group (got 0)"), errors);
  }
}
