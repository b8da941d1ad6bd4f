package dev.thaw.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FreezeDepthTest {
  private static final String SPEC =
      """
      {"source_model": "m", "target": {"dataset": "d"}, "freeze_depth": %s}
      """;

  @Test
  void isWrittenAndReadAsAPlainInteger() {
    TrialSpec spec = TrialSpec.fromJson(SPEC.formatted("3"), "test");
    assertEquals(FreezeDepth.of(3), spec.freezeDepth());
    assertTrue(spec.toJson().contains("\"freeze_depth\" : 3,"), spec.toJson());
  }

  @Test
  void nullOrAbsentMeansNothingFrozen() {
    assertEquals(
        FreezeDepth.NONE, TrialSpec.fromJson(SPEC.formatted("null"), "test").freezeDepth());
    assertEquals(
        FreezeDepth.NONE,
        TrialSpec.fromJson("{\"source_model\": \"m\", \"target\": {\"dataset\": \"d\"}}", "test")
            .freezeDepth());
  }

  @Test
  void aTrialSpecTakesNoWordOnlyTheResolvedNumber() {
    var e =
        assertThrows(
            InvalidTrialSpecException.class,
            () -> TrialSpec.fromJson(SPEC.formatted("\"all\""), "test"));
    assertTrue(
        e.getMessage()
            .contains("freeze_depth: Cannot deserialize value of type `java.lang.Integer`"),
        e.getMessage());
  }

  @Test
  void allIsEveryGroupOfTheSourceModel() {
    FreezeDepth all = FreezeDepth.all(4);
    assertEquals(FreezeDepth.of(4), all);
    assertTrue(all.freezes(3));
    assertFalse(all.freezes(4));
    assertFalse(FreezeDepth.NONE.freezes(0));
    assertEquals("4", all.toString());
  }
}
