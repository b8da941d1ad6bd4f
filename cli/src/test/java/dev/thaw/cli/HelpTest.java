package dev.thaw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.cli.SweepCommandsTest.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code thaw --help} names every command, the launcher's too. */
class HelpTest {

  @Test
  void helpListsTheJavaCommandsAndTheLaunchersOwn() {
    Run run = SweepCommandsTest.thaw("--help");
    assertEquals(0, run.exitCode(), run.out());
    for (String command :
        List.of("pretrain", "train", "validate", "plan", "worker", "sweep", "schedule", "models")) {
      assertTrue(run.out().contains("\n  " + command + " "), command + " missing:\n" + run.out());
    }
    for (String launcher :
        List.of("  quickstart  ", "  serve  ", "  test  ", "  bench NAME  ", "  models fetch  ")) {
      assertTrue(run.out().contains(launcher), launcher + " missing:\n" + run.out());
    }
  }
}
