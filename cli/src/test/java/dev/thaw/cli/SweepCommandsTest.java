package dev.thaw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.json.ThawJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code thaw validate} and {@code thaw plan} run as a user runs them, output captured. */
class SweepCommandsTest {
  static final Path CONFIGS = Path.of("..", "sweep-configs");

  record Run(int exitCode, String out) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  /** {@code thaw COMMAND ARGS... --orchestrator URL} against a stand-in orchestrator. */
  static Run thawAgainst(StandInOrchestrator server, String command, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = command;
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--orchestrator";
    all[args.length + 2] = server.url();
    return thaw(all);
  }

  static Run thaw(String... args) {
    CommandLine cli = ThawCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    int code = cli.execute(args);
    return new Run(code, out.toString());
  }

  @Test
  void validateAcceptsEveryExampleFile() {
    Run run =
        thaw(
            "validate",
            "--groups",
            "9",
            CONFIGS.resolve("quickstart.yaml").toString(),
            CONFIGS.resolve("freeze-x-lr-grid.yaml").toString(),
            CONFIGS.resolve("random-five-dims.yaml").toString(),
            CONFIGS.resolve("nightly.yaml").toString());
    assertEquals(0, run.exitCode(), run.out());
    assertEquals(4, run.lines().size(), run.out());
    assertTrue(
        run.lines()
            .get(0)
            .endsWith("quickstart.yaml: valid (grid, 6 trials, 2 searched parameters)"),
        run.out());
  }

  @Test
  void validateListsEveryErrorWithFileLineAndColumnAndExits2(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        name: bad
        objective: {metric: val_acuracy}
        method: random
        max_trials: 4
        parameters:
          dropout: {distribution: uniform, min: 0.5, max: 0.1}
          batch_sise: {value: 32}
        task:
          source_model: scratch:thaw-cnn
          target: {dataset: mnist}
        """);
    Run run = thaw("validate", bad.toString());
    assertEquals(2, run.exitCode(), run.out());
    String out = run.out();
    assertTrue(
        out.contains(
            bad
                + ":2:21: objective.metric: unknown metric 'val_acuracy'; did you mean 'val_accuracy'?"),
        out);
    assertTrue(
        out.contains(bad + ":6:51: parameters.dropout.max: must be > min (got 0.1 <= 0.5)"), out);
    assertTrue(
        out.contains("parameters.batch_sise: unknown key 'batch_sise'; did you mean 'batch_size'?"),
        out);
    assertTrue(out.strip().endsWith(bad + ": 3 errors, invalid"), out);
  }

  @Test
  void validateNamesAMissingFile(@TempDir Path dir) {
    Path missing = dir.resolve("missing.yaml");
    Run run = thaw("validate", "--groups", "4", missing.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.out().contains(missing + ": file not found"), run.out());
  }

  @Test
  void planPrintsOneRowPerGridPointWithDistinctHashes() {
    Run run = thaw("plan", "--groups", "9", CONFIGS.resolve("quickstart.yaml").toString());
    assertEquals(0, run.exitCode(), run.out());
    List<String> lines = run.lines();
    assertTrue(lines.get(0).startsWith("quickstart: grid, 6 of max_trials 6 planned"), run.out());
    assertTrue(lines.get(1).startsWith("fixed: "), run.out());
    List<String> header = List.of(lines.get(2).trim().split("\\s+"));
    assertEquals(List.of("#", "proposal", "grid", "hash", "freeze_depth", "lr_head"), header);
    List<String> rows = lines.subList(3, lines.size());
    assertEquals(6, rows.size(), run.out());
    Set<String> hashes = new HashSet<>();
    Set<String> grid = new HashSet<>();
    for (String row : rows) {
      String[] cells = row.trim().split("\\s+");
      grid.add(cells[2]);
      hashes.add(cells[3]);
    }
    assertEquals(Set.of("0", "1", "2", "3", "4", "5"), grid);
    assertEquals(6, hashes.size());
  }

  @Test
  void planAsJsonGivesFullHashesAndEveryParameter() throws Exception {
    Run run =
        thaw(
            "plan",
            "--groups",
            "4",
            "--format",
            "json",
            CONFIGS.resolve("random-five-dims.yaml").toString());
    assertEquals(0, run.exitCode(), run.out());
    JsonNode plan = ThawJson.mapper().readTree(run.out());
    assertEquals("sobol", plan.get("method").asText());
    JsonNode trials = plan.get("trials");
    assertEquals(plan.get("max_trials").asInt(), trials.size());
    for (JsonNode t : trials) {
      assertEquals(64, t.get("hash").asText().length());
      assertTrue(t.get("params").has("freeze_depth"), t.toString());
      double dropout = t.get("params").get("dropout").asDouble();
      assertTrue(dropout >= 0 && dropout <= 0.5, t.toString());
    }
  }

  @Test
  void planOfAnInvalidFilePlansNothingAndExits2(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("grid.yaml");
    Files.writeString(
        bad,
        """
        name: too-small
        objective: {metric: val_loss}
        method: grid
        max_trials: 2
        parameters:
          freeze_depth: {values: [0, 1, 2]}
        task:
          source_model: scratch:thaw-cnn
          target: {dataset: mnist}
        """);
    Run run = thaw("plan", bad.toString());
    assertEquals(2, run.exitCode(), run.out());
    assertTrue(run.out().contains("max_trials"), run.out());
    assertTrue(run.out().contains("invalid, nothing planned"), run.out());
    assertFalse(run.out().contains("hash"), run.out());
  }

  @Test
  void formatKeepsFourSignificantDigits() {
    var mapper = ThawJson.mapper();
    assertEquals("0.001235", PlanCommand.format(mapper.valueToTree(0.00123456)));
    assertEquals("3e-5", PlanCommand.format(mapper.valueToTree(3e-5)));
    assertEquals("1.235e-5", PlanCommand.format(mapper.valueToTree(1.23456e-5)));
    assertEquals("32", PlanCommand.format(mapper.valueToTree(32)));
    assertEquals("all", PlanCommand.format(mapper.valueToTree("all")));
  }
}
