package dev.thaw.orchestrator.schedules;

import dev.thaw.orchestrator.store.Database;
import dev.thaw.orchestrator.store.StoredText;
import dev.thaw.sweep.SweepSpec.Overlap;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Schedules in the store, and the executions (sweeps) each one started. */
@ApplicationScoped
public class ScheduleRepository {
  private final Database db;

  ScheduleRepository(Database db) {
    this.db = db;
  }

  /**
   * One execution of a schedule.
   *
   * @param sweepId its sweep
   * @param number 1, 2, ...
   */
  public record ExecutionRef(String sweepId, int number) {}

  public void insert(ScheduleRecord s) {
    db.update(
        """
        INSERT INTO sweep_schedule (id, name, cron, time_zone, overlap, warm_start,
          regression_threshold, spec_yaml, origin, paused, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        s.id(),
        s.name(),
        s.cron(),
        s.timeZone(),
        s.overlap().name(),
        s.warmStart(),
        s.regressionThreshold(),
        s.specYaml(),
        StoredText.clip(s.origin(), 1000),
        s.paused(),
        s.createdAt(),
        s.updatedAt());
  }

  /** Replaces a schedule's file and settings (its id, pause state and executions stay). */
  public void update(ScheduleRecord s) {
    db.update(
        """
        UPDATE sweep_schedule SET cron = ?, time_zone = ?, overlap = ?, warm_start = ?,
          regression_threshold = ?, spec_yaml = ?, origin = ?, updated_at = ?
        WHERE id = ?
        """,
        s.cron(),
        s.timeZone(),
        s.overlap().name(),
        s.warmStart(),
        s.regressionThreshold(),
        s.specYaml(),
        StoredText.clip(s.origin(), 1000),
        s.updatedAt(),
        s.id());
  }

  public void setPaused(String id, boolean paused) {
    db.update("UPDATE sweep_schedule SET paused = ? WHERE id = ?", paused, id);
  }

  public Optional<ScheduleRecord> find(String id) {
    return db.first("SELECT * FROM sweep_schedule WHERE id = ?", ScheduleRepository::map, id);
  }

  public Optional<ScheduleRecord> findByName(String name) {
    return db.first("SELECT * FROM sweep_schedule WHERE name = ?", ScheduleRepository::map, name);
  }

  /** Every schedule, by name. */
  public List<ScheduleRecord> all() {
    return db.query("SELECT * FROM sweep_schedule ORDER BY name", ScheduleRepository::map);
  }

  /** The schedule's executions, newest first. */
  public List<ExecutionRef> executions(String scheduleId) {
    return db.query(
        "SELECT id, execution FROM sweep WHERE schedule_id = ? ORDER BY execution DESC",
        rs -> new ExecutionRef(rs.getString("id"), rs.getInt("execution")),
        scheduleId);
  }

  /** The execution number of a sweep, if it is one. */
  public Optional<ExecutionRef> executionOf(String sweepId, String scheduleId) {
    return db.first(
        "SELECT id, execution FROM sweep WHERE id = ? AND schedule_id = ?",
        rs -> new ExecutionRef(rs.getString("id"), rs.getInt("execution")),
        sweepId,
        scheduleId);
  }

  /** The schedule a sweep is an execution of, if any. */
  public Optional<String> scheduleOf(String sweepId) {
    return db.first(
        "SELECT schedule_id FROM sweep WHERE id = ? AND schedule_id IS NOT NULL",
        rs -> rs.getString(1),
        sweepId);
  }

  static ScheduleRecord map(ResultSet rs) throws SQLException {
    return new ScheduleRecord(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("cron"),
        rs.getString("time_zone"),
        Overlap.valueOf(rs.getString("overlap")),
        rs.getInt("warm_start"),
        rs.getDouble("regression_threshold"),
        rs.getString("spec_yaml"),
        rs.getString("origin"),
        rs.getBoolean("paused"),
        rs.getLong("created_at"),
        rs.getLong("updated_at"));
  }
}
