package dev.thaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.json.ThawJson;
import dev.thaw.sweep.InvalidSweepException;
import dev.thaw.sweep.SweepFiles;
import dev.thaw.sweep.SweepPlanner;
import dev.thaw.sweep.SweepPlanner.Plan;
import dev.thaw.sweep.SweepPlanner.PlannedTrial;
import dev.thaw.sweep.SweepSpec;
import dev.thaw.sweep.space.Domain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code thaw plan FILE}: the trials a sweep would run, as a table, without running them. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "Print the trials a sweep file would run, without running them.")
final class PlanCommand implements Callable<Integer> {
  enum Format {
    table,
    json
  }

  @Parameters(paramLabel = "FILE", description = "Sweep file (YAML).")
  Path file;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table (default) or json (every trial with its full hash and parameters).")
  Format format;

  @Mixin SweepFileOptions options;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    SweepSpec sweep;
    try {
      sweep = SweepFiles.load(file, options.validator());
    } catch (InvalidSweepException e) {
      e.errors().forEach(err -> out.println(ValidateCommand.locate(file, err)));
      out.println(file + ": invalid, nothing planned");
      out.flush();
      return ValidateCommand.INVALID;
    }
    Plan plan = SweepPlanner.plan(sweep);
    if (format == Format.json) {
      out.println(ThawJson.mapper().writeValueAsString(json(sweep, plan)));
    } else {
      table(sweep, plan, out);
    }
    out.flush();
    return 0;
  }

  private static ObjectNode json(SweepSpec sweep, Plan plan) {
    ObjectNode root = ThawJson.mapper().createObjectNode();
    root.put("sweep", sweep.name());
    root.put("method", sweep.method().key());
    root.put("max_trials", plan.maxTrials());
    if (plan.note() != null) {
      root.put("note", plan.note());
    }
    ArrayNode trials = root.putArray("trials");
    for (PlannedTrial t : plan.trials()) {
      ObjectNode o = trials.addObject();
      o.put("number", t.number());
      o.put("proposal_index", t.proposalIndex());
      if (t.gridIndex() != null) {
        o.put("grid_index", t.gridIndex());
      }
      o.put("hash", t.hash());
      o.put("seed", t.seed());
      ObjectNode params = o.putObject("params");
      t.point().values().forEach(params::set);
    }
    return root;
  }

  private static void table(SweepSpec sweep, Plan plan, PrintWriter out) {
    Map<String, Domain> dims = sweep.searchSpace().dimensions();
    List<String> searched = new ArrayList<>();
    List<String> fixed = new ArrayList<>();
    dims.forEach(
        (name, d) -> {
          if (d instanceof Domain.Fixed f) {
            fixed.add(name + "=" + format(f.value()));
          } else {
            searched.add(name);
          }
        });
    out.println(
        sweep.name()
            + ": "
            + sweep.method().key()
            + ", "
            + plan.trials().size()
            + " of max_trials "
            + plan.maxTrials()
            + " planned, seed "
            + sweep.seed());
    if (!fixed.isEmpty()) {
      out.println("fixed: " + String.join(" ", fixed));
    }
    boolean grid = plan.trials().stream().anyMatch(t -> t.gridIndex() != null);
    List<String> header = new ArrayList<>(List.of("#", "proposal"));
    if (grid) {
      header.add("grid");
    }
    header.add("hash");
    header.addAll(searched);
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    for (PlannedTrial t : plan.trials()) {
      List<String> row = new ArrayList<>();
      row.add(Integer.toString(t.number()));
      row.add(Integer.toString(t.proposalIndex()));
      if (grid) {
        row.add(Integer.toString(t.gridIndex()));
      }
      row.add(t.hash().substring(0, 12));
      for (String name : searched) {
        row.add(format(t.point().get(name)));
      }
      rows.add(row);
    }
    int[] widths = new int[header.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(i < 3 ? " ".repeat(widths[i] - cell.length()) + cell : pad(cell, widths[i]));
        line.append(i + 1 < row.size() ? "  " : "");
      }
      out.println(line.toString().stripTrailing());
    }
    if (plan.note() != null) {
      out.println("note: " + plan.note());
    }
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }

  /** Numbers to 4 significant digits, the rest as JSON (see {@link Values#format(JsonNode)}). */
  static String format(JsonNode v) {
    return Values.format(v);
  }
}
