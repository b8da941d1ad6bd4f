package dev.thaw.orchestrator.store;

import static dev.thaw.orchestrator.store.Database.doubleOrNull;

import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.Stage;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Per-epoch metrics of each trial attempt. */
@ApplicationScoped
public class MetricRepository {
  private final Database db;

  MetricRepository(Database db) {
    this.db = db;
  }

  /**
   * Adds to a script the inserts of an attempt's epochs that come after {@code lastStored} (a
   * resent heartbeat adds nothing).
   *
   * @return the epochs added, in order
   */
  public List<EpochMetrics> addAfter(
      Script script,
      String trialId,
      int attempt,
      int lastStored,
      List<EpochMetrics> epochs,
      long now) {
    List<EpochMetrics> added = new java.util.ArrayList<>();
    int last = lastStored;
    for (EpochMetrics e : epochs) {
      if (e.epoch() <= last) {
        continue;
      }
      script.add(
          """
          INSERT INTO epoch_metric (trial_id, attempt, epoch, stage, train_loss, val_loss,
            val_accuracy, epoch_seconds, samples_per_second, recorded_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
          trialId,
          attempt,
          e.epoch(),
          e.stage().name(),
          e.trainLoss(),
          e.valLoss(),
          e.valAccuracy(),
          e.epochSeconds(),
          e.samplesPerSecond(),
          now);
      last = e.epoch();
      added.add(e);
    }
    return added;
  }

  /** The last stored epoch of an attempt, 0 when none. */
  public int lastEpoch(String trialId, int attempt) {
    return (int)
        db.count(
            "SELECT COALESCE(MAX(epoch), 0) FROM epoch_metric WHERE trial_id = ? AND attempt = ?",
            trialId,
            attempt);
  }

  /** The epochs of one attempt, in order. */
  public List<EpochMetrics> of(String trialId, int attempt) {
    return db.query(
        "SELECT * FROM epoch_metric WHERE trial_id = ? AND attempt = ? ORDER BY epoch",
        MetricRepository::map,
        trialId,
        attempt);
  }

  /** The epochs of every trial's current attempt in a sweep, by trial id. */
  public Map<String, List<EpochMetrics>> currentOfSweep(String sweepId) {
    return currentOfSweep(sweepId, 0);
  }

  /** As {@link #currentOfSweep(String)}, for the sweep's trials numbered {@code fromNumber} on. */
  public Map<String, List<EpochMetrics>> currentOfSweep(String sweepId, int fromNumber) {
    Map<String, List<EpochMetrics>> out = new TreeMap<>();
    db.query(
            """
            SELECT m.* FROM epoch_metric m JOIN trial t
              ON t.id = m.trial_id AND m.attempt = t.attempts
            WHERE t.sweep_id = ? AND t.number >= ? ORDER BY m.trial_id, m.epoch
            """,
            rs -> Map.entry(rs.getString("trial_id"), map(rs)),
            sweepId,
            fromNumber)
        .forEach(
            e ->
                out.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>())
                    .add(e.getValue()));
    return out;
  }

  static EpochMetrics map(ResultSet rs) throws SQLException {
    return new EpochMetrics(
        rs.getInt("epoch"),
        Stage.valueOf(rs.getString("stage")),
        nan(doubleOrNull(rs, "train_loss")),
        nan(doubleOrNull(rs, "val_loss")),
        nan(doubleOrNull(rs, "val_accuracy")),
        nan(doubleOrNull(rs, "epoch_seconds")),
        nan(doubleOrNull(rs, "samples_per_second")));
  }

  private static double nan(Double v) {
    return v == null ? Double.NaN : v;
  }
}
