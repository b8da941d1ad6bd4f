package dev.thaw.orchestrator.schedules;

import static dev.thaw.orchestrator.store.Database.longOrNull;

import dev.thaw.api.FiringOutcome;
import dev.thaw.orchestrator.store.Database;
import dev.thaw.orchestrator.store.StoredText;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Firings of schedules in the store. */
@ApplicationScoped
public class FiringRepository {
  private final Database db;

  FiringRepository(Database db) {
    this.db = db;
  }

  public void insert(FiringRecord f) {
    db.update(
        """
        INSERT INTO schedule_firing (id, schedule_id, fired_at, scheduled_for, outcome, sweep_id,
          message)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
        f.id(),
        f.scheduleId(),
        f.firedAt(),
        f.scheduledFor(),
        f.outcome().name(),
        f.sweepId(),
        f.message());
  }

  /**
   * Settles a queued firing.
   *
   * @return false if it was not queued any more
   */
  public boolean settle(String id, FiringOutcome outcome, String sweepId, String message) {
    message = StoredText.reason(message);
    return db.update(
            """
            UPDATE schedule_firing SET outcome = ?, sweep_id = ?, message = ?
            WHERE id = ? AND outcome = 'QUEUED'
            """,
            outcome.name(),
            sweepId,
            message,
            id)
        == 1;
  }

  public Optional<FiringRecord> find(String id) {
    return db.first("SELECT * FROM schedule_firing WHERE id = ?", FiringRepository::map, id);
  }

  /** A schedule's latest firings, newest first. */
  public List<FiringRecord> ofSchedule(String scheduleId, int limit) {
    return db.query(
        "SELECT * FROM schedule_firing WHERE schedule_id = ? ORDER BY fired_at DESC, id LIMIT ?",
        FiringRepository::map,
        scheduleId,
        limit);
  }

  /** Whether a firing of the schedule waits in the queue. */
  public boolean anyQueued(String scheduleId) {
    return db.first(
            "SELECT 1 FROM schedule_firing WHERE schedule_id = ? AND outcome = 'QUEUED' LIMIT 1",
            rs -> Boolean.TRUE,
            scheduleId)
        .isPresent();
  }

  static FiringRecord map(ResultSet rs) throws SQLException {
    return new FiringRecord(
        rs.getString("id"),
        rs.getString("schedule_id"),
        rs.getLong("fired_at"),
        longOrNull(rs, "scheduled_for"),
        FiringOutcome.valueOf(rs.getString("outcome")),
        rs.getString("sweep_id"),
        rs.getString("message"));
  }
}
