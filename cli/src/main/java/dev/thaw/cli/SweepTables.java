package dev.thaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.api.Leaderboard;
import dev.thaw.api.SweepDetail;
import dev.thaw.api.SweepSummary;
import dev.thaw.api.TrialState;
import dev.thaw.api.TrialView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The text of {@code thaw sweep} commands: the list of sweeps, one sweep with its trials, a
 * leaderboard. Parameters that are the same in every listed trial are printed once, on a {@code
 * fixed:} line, so the tables show only what differs.
 */
final class SweepTables {
  static final int REASON_WIDTH = 60;

  private SweepTables() {}

  /**
   * E.g. {@code quickstart: grid, max_trials 6, parallel 1, maximize val_accuracy; running (queued
   * 1, running 0)}; an ended sweep shows why it ended instead of the counts.
   */
  static String oneLine(SweepSummary s) {
    return s.name()
        + ": "
        + s.method()
        + ", max_trials "
        + s.maxTrials()
        + ", parallel "
        + s.parallelTrials()
        + ", "
        + objective(s)
        + "; "
        + s.state().key()
        + (s.state().ended()
            ? (s.stopReason() == null ? "" : " (" + s.stopReason() + ")")
            : " (queued "
                + s.count(TrialState.QUEUED)
                + ", running "
                + s.count(TrialState.RUNNING)
                + ")");
  }

  /** Every sweep: short id, name, state, method, ended/max trials, best objective. */
  static List<String> sweeps(List<SweepSummary> sweeps) {
    if (sweeps.isEmpty()) {
      return List.of("no sweeps yet; submit one with 'thaw sweep submit FILE'");
    }
    TextTable table = new TextTable(List.of("id", "name", "state", "method", "trials", "best"), 4);
    for (SweepSummary s : sweeps) {
      table.add(
          List.of(
              SweepIds.shortId(s.id()),
              s.name(),
              s.state().key(),
              s.method(),
              s.ended() + "/" + s.maxTrials(),
              s.best() == null
                  ? "-"
                  : s.objective().metric() + " " + Values.format(s.best().objective())));
    }
    return table.lines();
  }

  /** A sweep's header (state, counts, best so far) and a table of its trials. */
  static List<String> detail(SweepDetail detail) {
    SweepSummary s = detail.sweep();
    Params params = Params.of(detail.trials());
    List<String> lines = new ArrayList<>();
    lines.add(
        "sweep "
            + s.id()
            + "  "
            + s.name()
            + "  "
            + s.state().key()
            + "  "
            + s.method()
            + "  "
            + objective(s));
    StringBuilder counts = new StringBuilder("trials: " + s.ended() + "/" + s.maxTrials());
    for (TrialState state : TrialState.values()) {
      counts.append("  ").append(state.key()).append(' ').append(s.count(state));
    }
    lines.add(counts.toString());
    if (s.best() != null) {
      TrialView b = s.best();
      String shown = params.varying(b);
      lines.add(
          "best: "
              + s.objective().metric()
              + " "
              + Values.format(b.objective())
              + "  trial #"
              + b.number()
              + " ("
              + b.state().key()
              + (b.bestEpoch() == null ? "" : ", epoch " + b.bestEpoch())
              + ")"
              + (shown.isEmpty() ? "" : "  " + shown));
    }
    if (s.state().ended()) {
      lines.add(
          "ended: "
              + s.state().key()
              + (s.stopReason() == null ? "" : ", " + s.stopReason())
              + (s.finishedAt() == null ? "" : " at " + s.finishedAt()));
    }
    if (detail.trials().isEmpty()) {
      lines.add("no trials yet");
      return lines;
    }
    lines.addAll(params.fixedLine());
    boolean reasons = detail.trials().stream().anyMatch(t -> t.reason() != null);
    List<String> header =
        new ArrayList<>(List.of("#", "state", "attempts", "epochs", "objective", "params"));
    if (reasons) {
      header.add("reason");
    }
    TextTable table = new TextTable(header, 0, 2, 3, 4);
    for (TrialView t : detail.trials()) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  Integer.toString(t.number()),
                  t.state().key(),
                  Integer.toString(t.attempts()),
                  Integer.toString(t.epochsDone()),
                  Values.format(t.objective()),
                  params.varying(t)));
      if (reasons) {
        row.add(abbreviate(t.reason()));
      }
      table.add(row);
    }
    lines.addAll(table.lines());
    return lines;
  }

  /** Rank, trial number, state, objective and parameters, best first. */
  static List<String> leaderboard(Leaderboard board) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "leaderboard of sweep "
            + board.sweepId()
            + ": "
            + board.goal()
            + " "
            + board.metric()
            + ", "
            + board.trials().size()
            + (board.trials().size() == 1 ? " trial" : " trials"));
    if (board.trials().isEmpty()) {
      lines.add("no trial has reported " + board.metric() + " yet");
      return lines;
    }
    Params params = Params.of(board.trials());
    lines.addAll(params.fixedLine());
    TextTable table = new TextTable(List.of("rank", "#", "state", "objective", "params"), 0, 1, 3);
    int rank = 1;
    for (TrialView t : board.trials()) {
      table.add(
          List.of(
              Integer.toString(rank++),
              Integer.toString(t.number()),
              t.state().key(),
              Values.format(t.objective()),
              params.varying(t)));
    }
    lines.addAll(table.lines());
    return lines;
  }

  private static String objective(SweepSummary s) {
    return s.objective().goal()
        + " "
        + s.objective().metric()
        + (s.objective().target() == null
            ? ""
            : " (target " + Values.format(s.objective().target()) + ")");
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() <= REASON_WIDTH ? line : line.substring(0, REASON_WIDTH - 3) + "...";
  }

  /** The parameters of a set of trials, split into those that differ and those that do not. */
  record Params(Map<String, JsonNode> fixed, List<String> varying) {
    static Params of(List<TrialView> trials) {
      Map<String, List<JsonNode>> values = new TreeMap<>();
      for (TrialView t : trials) {
        if (t.params() != null) {
          t.params()
              .properties()
              .forEach(
                  e ->
                      values.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        }
      }
      Map<String, JsonNode> fixed = new TreeMap<>();
      List<String> varying = new ArrayList<>();
      values.forEach(
          (name, seen) -> {
            boolean same = seen.size() == trials.size() && seen.stream().distinct().count() == 1;
            if (same && trials.size() > 1) {
              fixed.put(name, seen.get(0));
            } else {
              varying.add(name);
            }
          });
      return new Params(fixed, varying);
    }

    /** {@code fixed: batch_size=32 epochs=4}, or nothing. */
    List<String> fixedLine() {
      if (fixed.isEmpty()) {
        return List.of();
      }
      return List.of(
          "fixed: "
              + fixed.entrySet().stream()
                  .map(e -> e.getKey() + "=" + Values.format(e.getValue()))
                  .collect(Collectors.joining(" ")));
    }

    /** {@code freeze_depth=1 lr_head=0.003}: the trial's values of the varying parameters. */
    String varying(TrialView t) {
      if (t.params() == null) {
        return "";
      }
      return varying.stream()
          .filter(name -> t.params().has(name))
          .map(name -> name + "=" + Values.format(t.params().get(name)))
          .collect(Collectors.joining(" "));
    }
  }
}
