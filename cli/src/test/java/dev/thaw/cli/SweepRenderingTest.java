package dev.thaw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.api.Leaderboard;
import dev.thaw.api.Objective;
import dev.thaw.api.SweepDetail;
import dev.thaw.api.SweepState;
import dev.thaw.api.SweepSummary;
import dev.thaw.api.TrialState;
import dev.thaw.api.TrialView;
import dev.thaw.json.ThawJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The progress line, the tables and id prefixes, on made-up sweeps: no HTTP. */
class SweepRenderingTest {
  static final URI HERE = URI.create("http://orchestrator:8080");

  static JsonNode params(String json) {
    try {
      return ThawJson.mapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static TrialView trial(int number, TrialState state, Double objective, String params) {
    return new TrialView(
        "t" + number,
        number,
        state,
        1,
        "hash" + number,
        null,
        params(params),
        objective,
        objective == null ? null : 3,
        4,
        null,
        null,
        null);
  }

  static SweepSummary sweep(
      String id,
      SweepState state,
      int max,
      Map<String, Integer> counts,
      TrialView best,
      String stopReason) {
    return new SweepSummary(
        id,
        "quickstart",
        state,
        "grid",
        new Objective("val_accuracy", "maximize", null),
        max,
        2,
        3,
        1,
        counts,
        best,
        "2026-11-23T10:00:00Z",
        null,
        stopReason);
  }

  static final Map<String, Integer> SEVEN_OF_TWELVE =
      Map.of("queued", 3, "running", 2, "completed", 5, "pruned", 1, "failed", 1, "cancelled", 0);

  @Test
  void progressLineShowsTheBarTheCountsAndTheBestTrial() {
    SweepSummary s =
        sweep(
            "s1",
            SweepState.RUNNING,
            12,
            SEVEN_OF_TWELVE,
            trial(4, TrialState.COMPLETED, 0.91234, "{}"),
            null);
    assertEquals(
        "[###########.........] 7/12  running 2  queued 3  pruned 1  failed 1"
            + "  best val_accuracy 0.9123 (#4)",
        ProgressLine.render(s));
    assertEquals(
        "[#######.....] 7/12  running 2  queued 3  pruned 1  failed 1"
            + "  best val_accuracy 0.9123 (#4)",
        ProgressLine.render(s, 12));
  }

  @Test
  void progressLineOfAnEndedSweepSaysHowItEnded() {
    SweepSummary s =
        sweep(
            "s1",
            SweepState.CANCELLED,
            4,
            Map.of(
                "queued",
                0,
                "running",
                0,
                "completed",
                1,
                "pruned",
                0,
                "failed",
                0,
                "cancelled",
                3),
            null,
            "cancelled by a user");
    assertEquals(
        "[#####] 4/4  running 0  queued 0  pruned 0  failed 0  cancelled 3"
            + "  cancelled: cancelled by a user",
        ProgressLine.render(s, 5));
  }

  @Test
  void barIsFullOnlyWhenEveryTrialEnded() {
    assertEquals("[....]", ProgressLine.bar(0, 12, 4));
    assertEquals("[###.]", ProgressLine.bar(11, 12, 4));
    assertEquals("[####]", ProgressLine.bar(12, 12, 4));
    assertEquals("[####]", ProgressLine.bar(13, 12, 4), "capped at the width");
    assertEquals("[....]", ProgressLine.bar(0, 0, 4), "no trials planned yet");
  }

  @Test
  void liveLineRedrawsInPlaceAndClearsWhatALongerLineLeft() {
    StringWriter text = new StringWriter();
    LiveLine line = new LiveLine(new PrintWriter(text), true);
    line.show("1/4 running 1");
    line.show("2/4");
    line.finish();
    assertEquals("\r1/4 running 1\r2/4          \n", text.toString());
  }

  @Test
  void liveLineWithoutATerminalPrintsOneLinePerChange() {
    StringWriter text = new StringWriter();
    LiveLine line = new LiveLine(new PrintWriter(text), false);
    line.show("1/4");
    line.show("1/4");
    line.show("2/4");
    line.finish();
    assertEquals("1/4" + System.lineSeparator() + "2/4" + System.lineSeparator(), text.toString());
  }

  @Test
  void sweepsTableHasShortIdsAndBestObjectives() {
    List<String> lines =
        SweepTables.sweeps(
            List.of(
                sweep(
                    "0123456789abcdef",
                    SweepState.RUNNING,
                    12,
                    SEVEN_OF_TWELVE,
                    trial(4, TrialState.COMPLETED, 0.9, "{}"),
                    null),
                sweep("fedcba98", SweepState.FAILED, 6, Map.of("failed", 3), null, "3 failed")));
    assertEquals(
        List.of(
            "id        name        state    method  trials  best",
            "01234567  quickstart  running  grid      7/12  val_accuracy 0.9",
            "fedcba98  quickstart  failed   grid       3/6  -"),
        lines);
    assertTrue(SweepTables.sweeps(List.of()).get(0).startsWith("no sweeps yet"));
  }

  @Test
  void detailShowsHeaderBestWithItsParamsAndOnlyTheParamsThatDiffer() {
    TrialView best =
        trial(
            2,
            TrialState.COMPLETED,
            0.95,
            "{\"freeze_depth\": 2, \"lr_head\": 0.003, \"epochs\": 4}");
    SweepDetail detail =
        new SweepDetail(
            sweep(
                "s-123",
                SweepState.RUNNING,
                3,
                Map.of("queued", 1, "running", 0, "completed", 2),
                best,
                null),
            List.of(
                trial(
                    1,
                    TrialState.COMPLETED,
                    0.9,
                    "{\"freeze_depth\": 1, \"lr_head\": 0.003, \"epochs\": 4}"),
                best,
                trial(
                    3,
                    TrialState.QUEUED,
                    null,
                    "{\"freeze_depth\": 4, \"lr_head\": 0.003, \"epochs\": 4}")));
    List<String> lines = SweepTables.detail(detail);
    assertEquals(
        List.of(
            "sweep s-123  quickstart  running  grid  maximize val_accuracy",
            "trials: 2/3  queued 1  running 0  completed 2  pruned 0  failed 0  cancelled 0",
            "best: val_accuracy 0.95  trial #2 (completed, epoch 3)  freeze_depth=2",
            "fixed: epochs=4 lr_head=0.003",
            "#  state      attempts  epochs  objective  params",
            "1  completed         1       4        0.9  freeze_depth=1",
            "2  completed         1       4       0.95  freeze_depth=2",
            "3  queued            1       4          -  freeze_depth=4"),
        lines);
  }

  @Test
  void detailOfAnEndedSweepSaysWhyAndShowsFailureReasons() {
    TrialView failed =
        new TrialView(
            "t1",
            1,
            TrialState.FAILED,
            2,
            "h",
            null,
            params("{\"a\": 1}"),
            null,
            null,
            0,
            "DatasetException: no such dataset 'mnsit'",
            null,
            null);
    List<String> lines =
        SweepTables.detail(
            new SweepDetail(
                sweep("s", SweepState.FAILED, 1, Map.of("failed", 1), null, "1 trials failed"),
                List.of(failed)));
    assertTrue(lines.contains("ended: failed, 1 trials failed"), String.join("\n", lines));
    assertTrue(
        lines
            .get(lines.size() - 1)
            .matches("1  failed +2 +0 +-  a=1 +DatasetException: no such dataset 'mnsit'"),
        String.join("\n", lines));
  }

  @Test
  void leaderboardRanksTrialsAsGiven() {
    List<String> lines =
        SweepTables.leaderboard(
            new Leaderboard(
                "s-123",
                "val_accuracy",
                "maximize",
                List.of(
                    trial(7, TrialState.COMPLETED, 0.96, "{\"lr\": 1e-4, \"bs\": 32}"),
                    trial(2, TrialState.PRUNED, 0.8, "{\"lr\": 0.01, \"bs\": 32}"))));
    assertEquals(
        List.of(
            "leaderboard of sweep s-123: maximize val_accuracy, 2 trials",
            "fixed: bs=32",
            "rank  #  state      objective  params",
            "   1  7  completed       0.96  lr=1e-4",
            "   2  2  pruned           0.8  lr=0.01"),
        lines);
  }

  @Test
  void idPrefixResolvesToTheOneSweepItStarts() {
    List<SweepSummary> sweeps =
        List.of(
            sweep("abc123", SweepState.RUNNING, 1, Map.of(), null, null),
            sweep("abd456", SweepState.RUNNING, 1, Map.of(), null, null),
            sweep("abc", SweepState.RUNNING, 1, Map.of(), null, null));
    assertEquals("abd456", SweepIds.resolve("abd", sweeps, HERE));
    assertEquals("abc", SweepIds.resolve("abc", sweeps, HERE), "an exact id wins over a prefix");
    IllegalArgumentException ambiguous =
        assertThrows(IllegalArgumentException.class, () -> SweepIds.resolve("ab", sweeps, HERE));
    assertEquals(
        "sweep id 'ab' is ambiguous: 3 sweeps match (abc123 quickstart, abd456 quickstart, abc"
            + " quickstart); give more of the id",
        ambiguous.getMessage());
    IllegalArgumentException none =
        assertThrows(IllegalArgumentException.class, () -> SweepIds.resolve("zz", sweeps, HERE));
    assertEquals(
        "no sweep id starts with 'zz' at http://orchestrator:8080 (3 sweeps; 'thaw sweep status'"
            + " lists them)",
        none.getMessage());
  }

  @Test
  void tableRightAlignsNumberColumns() {
    assertEquals(
        List.of(" n  name", " 1  a", "10  bb"),
        new TextTable(List.of("n", "name"), 0)
            .add(List.of("1", "a"))
            .add(List.of("10", "bb"))
            .lines());
  }
}
