package dev.thaw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.cli.SweepCommandsTest.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code thaw models} and {@code thaw models describe}, as a user runs them. */
class ModelsCommandTest {

  @Test
  void theListNamesEverySourceModelKindWithItsGroupsAndInput() {
    Run run = SweepCommandsTest.thaw("models");
    assertEquals(0, run.exitCode(), run.out());
    List<String> lines = run.lines();
    assertTrue(lines.get(0).startsWith("source_model"), run.out());
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("scratch:thaw-cnn +built-in +4 +1x28x28 .*")),
        run.out());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.matches("zoo:mobilenet_v2 +zoo +9 +3x224x224 +ImageNet-1k .*")),
        run.out());
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("scratch:efficientnet_lite0 +zoo +9 .*ready")),
        run.out());
  }

  @Test
  void describeShowsTheGroupBoundariesAndOutputShapes() {
    Run run = SweepCommandsTest.thaw("models", "describe", "zoo:efficientnet_lite0");
    assertEquals(0, run.exitCode(), run.out());
    assertTrue(run.out().contains("input: 3x224x224 (input_size >= 32)"), run.out());
    assertTrue(
        run.lines().stream().anyMatch(l -> l.matches("g3 +_blocks.3-4 +40x28x28 +MBConv k5 .*")),
        run.out());
    assertTrue(run.out().contains("9 (or all) the head only"), run.out());
  }

  @Test
  void anUnknownZooNameIsAUserErrorListingTheKnownOnes() {
    Run run = SweepCommandsTest.thaw("models", "describe", "zoo:resnet50");
    assertEquals(2, run.exitCode(), run.out());
    assertTrue(
        run.out().contains("unknown zoo model 'zoo:resnet50'; known: zoo:mobilenet_v2,"),
        run.out());
  }
}
