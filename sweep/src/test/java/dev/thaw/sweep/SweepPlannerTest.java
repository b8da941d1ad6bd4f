package dev.thaw.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.sweep.SweepPlanner.Plan;
import dev.thaw.sweep.SweepPlanner.PlannedTrial;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SweepPlannerTest {
  private static final SweepValidator FOUR_GROUPS = SweepValidator.withGroups(4);

  private static SweepSpec sweep(String method, int maxTrials, String parameters) {
    String yaml =
        """
        name: plan-test
        objective: {metric: val_accuracy}
        method: %s
        max_trials: %d
        seed: 11
        parameters:
        %s
        task:
          source_model: scratch:thaw-cnn
          target: {dataset: mnist}
        """
            .formatted(method, maxTrials, parameters.indent(2).stripTrailing());
    SweepLoader.Loaded loaded = SweepLoader.load(yaml);
    List<SweepError> errors = FOUR_GROUPS.validate(loaded);
    assertTrue(errors.isEmpty(), errors::toString);
    return loaded.spec();
  }

  @Test
  void gridPlanIsAPermutationOfTheWholeGridWithSeedsFromProposalIndices() {
    SweepSpec grid =
        sweep(
            "grid",
            6,
            "freeze_depth: {values: [0, 2, all]}\nlr_head: {values: [1.0e-3, 3.0e-3]}\n"
                + "epochs: {value: 2}");
    Plan plan = SweepPlanner.plan(grid);
    assertEquals(6, plan.trials().size());
    assertNull(plan.note());
    Set<Integer> gridIndices = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (PlannedTrial t : plan.trials()) {
      gridIndices.add(t.gridIndex());
      hashes.add(t.hash());
      assertEquals(11 + t.proposalIndex(), t.seed());
      assertEquals(2, t.point().get("epochs").intValue());
    }
    assertEquals(Set.copyOf(IntStream.range(0, 6).boxed().toList()), gridIndices);
    assertEquals(6, hashes.size());
    assertEquals(plan, SweepPlanner.plan(grid), "same file, same plan");
  }

  @Test
  void tpeListsOnlyItsRandomStartAndSaysWhy() {
    Plan plan =
        SweepPlanner.plan(sweep("tpe", 25, "dropout: {distribution: uniform, min: 0.0, max: 0.5}"));
    assertEquals(10, plan.trials().size());
    assertEquals(25, plan.maxTrials());
    assertNotNull(plan.note());
    assertTrue(plan.note().contains("other 15"), plan.note());
    assertTrue(plan.trials().stream().allMatch(t -> t.gridIndex() == null));
  }

  @Test
  void randomSearchOverASmallSpaceSkipsDuplicatesAndStopsWhenTheSpaceIsUsedUp() {
    Plan plan = SweepPlanner.plan(sweep("random", 8, "freeze_depth: {values: [0, 1, 2]}"));
    assertEquals(3, plan.trials().size());
    assertEquals(3, plan.trials().stream().map(PlannedTrial::hash).distinct().count());
    assertNotNull(plan.note());
    assertTrue(plan.note().contains("only 3 distinct"), plan.note());
    List<Integer> numbers = plan.trials().stream().map(PlannedTrial::number).toList();
    assertEquals(List.of(0, 1, 2), numbers);
  }
}
