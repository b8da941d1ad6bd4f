package dev.thaw.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureReuseTest {
  private static TrialSpecBuilder base() {
    return TrialSpec.builder("zoo:mobilenet_v2", TargetSpec.of("fashion-mnist").withSplitSeed(7L))
        .inputSize(96)
        .seed(1L);
  }

  @Test
  void trialsDifferingOnlyInWhatTrainsShareATask() {
    String task = FeatureReuse.task(base().build());
    assertEquals(task, FeatureReuse.task(base().freezeDepth(FreezeDepth.of(3)).build()));
    assertEquals(task, FeatureReuse.task(base().dropout(0.4).batchSize(16).seed(99L).build()));
    assertTrue(FeatureReuse.isHint(FeatureReuse.hint(task, 3)));
  }

  @Test
  void anythingTheFrozenOutputsDependOnMakesAnotherTask() {
    String task = FeatureReuse.task(base().build());
    assertNotEquals(task, FeatureReuse.task(base().inputSize(128).build()));
    assertNotEquals(
        task,
        FeatureReuse.task(
            TrialSpec.builder(
                    "zoo:efficientnet_lite0", TargetSpec.of("fashion-mnist").withSplitSeed(7L))
                .inputSize(96)
                .seed(1L)
                .build()));
    assertNotEquals(
        task,
        FeatureReuse.task(
            TrialSpec.builder("zoo:mobilenet_v2", TargetSpec.of("fashion-mnist").withSplitSeed(8L))
                .inputSize(96)
                .seed(1L)
                .build()));
  }

  @Test
  void withoutASplitSeedTheTrialSeedSplitsAndSoNamesTheTask() {
    TrialSpecBuilder unsplit =
        TrialSpec.builder("zoo:mobilenet_v2", TargetSpec.of("fashion-mnist")).inputSize(96);
    assertNotEquals(
        FeatureReuse.task(unsplit.seed(1L).build()), FeatureReuse.task(unsplit.seed(2L).build()));
    assertEquals(
        FeatureReuse.task(unsplit.seed(7L).build()), FeatureReuse.task(base().seed(7L).build()));
  }

  @Test
  void aStageUsesThePrefixesUpToItsFreezeDepth() {
    TrialSpec spec = base().freezeDepth(FreezeDepth.of(3)).build();
    String task = FeatureReuse.task(spec);
    String other = "0123456789abcdef";
    assertEquals(-1, FeatureReuse.reusableDepth(spec, List.of()));
    assertEquals(
        2,
        FeatureReuse.reusableDepth(
            spec,
            List.of(
                FeatureReuse.hint(task, 1),
                FeatureReuse.hint(task, 2),
                FeatureReuse.hint(task, 5))));
    assertEquals(3, FeatureReuse.reusableDepth(spec, List.of(FeatureReuse.hint(task, 3))));
    assertEquals(-1, FeatureReuse.reusableDepth(spec, List.of(FeatureReuse.hint(other, 3))));
    assertEquals(-1, FeatureReuse.reusableDepth(spec, List.of(FeatureReuse.hint(task, 0))));
  }

  @Test
  void aWarmUpFreezesEveryGroupSoAnyDepthServesIt() {
    TrialSpec spec = base().freezeDepth(FreezeDepth.of(1)).warmupEpochs(1).build();
    String task = FeatureReuse.task(spec);
    assertEquals(8, FeatureReuse.reusableDepth(spec, List.of(FeatureReuse.hint(task, 8))));
  }

  @Test
  void augmentationReusesNothing() {
    TrialSpec spec = base().freezeDepth(FreezeDepth.of(3)).augmentation(Augmentation.FLIP).build();
    assertNull(FeatureReuse.demand(spec));
    assertEquals(
        -1,
        FeatureReuse.reusableDepth(spec, List.of(FeatureReuse.hint(FeatureReuse.task(spec), 2))));
  }

  @Test
  void hintsAreWellFormedOrRefused() {
    assertTrue(FeatureReuse.isHint("0123456789abcdef@12"));
    for (String bad :
        new String[] {
          null,
          "",
          "0123456789abcdef",
          "0123456789ABCDEF@1",
          "0123@1",
          "x@1",
          "0123456789abcdef@1234",
          "0123456789abcdef@-1",
          "0123456789abcdef@1\n"
        }) {
      assertFalse(FeatureReuse.isHint(bad), String.valueOf(bad));
    }
  }
}
