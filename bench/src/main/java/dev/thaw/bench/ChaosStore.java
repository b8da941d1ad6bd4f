package dev.thaw.bench;

import dev.thaw.bench.ChaosRecords.Attempt;
import dev.thaw.bench.ChaosRecords.Epoch;
import dev.thaw.bench.ChaosRecords.Trial;
import dev.thaw.json.ThawJson;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialResult;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a sweep's trials and attempts from the orchestrator's H2 file store ({@code
 * $THAW_CACHE/orchestrator/thaw}, the default of {@code ./thaw serve}) once the orchestrator has
 * stopped: H2 lets one process open a file store at a time.
 */
final class ChaosStore {
  private ChaosStore() {}

  /** The sweep's trials and their attempts. */
  record Contents(List<Trial> trials, List<Attempt> attempts) {}

  static Contents read(Path thawCache, String sweepId) throws SQLException, IOException {
    String url =
        "jdbc:h2:file:" + thawCache.resolve("orchestrator").resolve("thaw") + ";IFEXISTS=TRUE";
    try (Connection c = DriverManager.getConnection(url, "thaw", "")) {
      return new Contents(trials(c, sweepId), attempts(c, sweepId));
    }
  }

  private static List<Trial> trials(Connection c, String sweepId) throws SQLException, IOException {
    List<Trial> trials = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id, grid_index, state, result_json FROM trial WHERE sweep_id = ?"
                + " ORDER BY number")) {
      s.setString(1, sweepId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String json = rs.getString("result_json");
          int gridIndex = rs.getInt("grid_index");
          trials.add(
              new Trial(
                  rs.getString("id"),
                  rs.wasNull() ? -1 : gridIndex,
                  rs.getString("state"),
                  json != null,
                  json == null ? List.of() : epochs(json)));
        }
      }
    }
    return trials;
  }

  /** Per epoch of a stored result, the keys a worker logs to MLflow that have a finite value. */
  static List<Epoch> epochs(String resultJson) throws IOException {
    TrialResult result = ThawJson.mapper().readValue(resultJson, TrialResult.class);
    List<Epoch> epochs = new ArrayList<>();
    for (EpochMetrics m : result.epochs()) {
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("train_loss", m.trainLoss());
      values.put("val_loss", m.valLoss());
      values.put("val_accuracy", m.valAccuracy());
      values.put("epoch_seconds", m.epochSeconds());
      values.put("samples_per_second", m.samplesPerSecond());
      Set<String> keys = new LinkedHashSet<>();
      values.forEach(
          (k, v) -> {
            if (Double.isFinite(v)) {
              keys.add(k);
            }
          });
      epochs.add(new Epoch(m.epoch(), keys));
    }
    return epochs;
  }

  private static List<Attempt> attempts(Connection c, String sweepId) throws SQLException {
    List<Attempt> attempts = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT a.id, a.trial_id, a.number, a.worker_id, a.state FROM attempt a"
                + " JOIN trial t ON t.id = a.trial_id WHERE t.sweep_id = ?"
                + " ORDER BY a.started_at")) {
      s.setString(1, sweepId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          attempts.add(
              new Attempt(
                  rs.getString("id"),
                  rs.getString("trial_id"),
                  rs.getInt("number"),
                  rs.getString("worker_id"),
                  rs.getString("state")));
        }
      }
    }
    return attempts;
  }
}
