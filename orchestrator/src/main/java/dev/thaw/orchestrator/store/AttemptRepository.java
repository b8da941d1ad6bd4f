package dev.thaw.orchestrator.store;

import static dev.thaw.orchestrator.store.Database.longOrNull;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Attempts (leases) in the store. */
@ApplicationScoped
public class AttemptRepository {
  private final Database db;

  AttemptRepository(Database db) {
    this.db = db;
  }

  public void insert(AttemptRecord a) {
    db.update(
        """
        INSERT INTO attempt (id, trial_id, number, worker_id, host, device, state,
          lease_expires_at, started_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        a.id(),
        a.trialId(),
        a.number(),
        a.workerId(),
        a.host(),
        a.device(),
        a.state().name(),
        a.leaseExpiresAt(),
        a.startedAt());
  }

  public Optional<AttemptRecord> find(String id) {
    return db.first("SELECT * FROM attempt WHERE id = ?", AttemptRepository::map, id);
  }

  /**
   * Extends an active lease.
   *
   * @return false if the lease is no longer active
   */
  public boolean extend(String id, long expiresAt) {
    return db.update(
            "UPDATE attempt SET lease_expires_at = ? WHERE id = ? AND state = 'ACTIVE'",
            expiresAt,
            id)
        == 1;
  }

  /**
   * ACTIVE → EXPIRED, only if its lease ran out before {@code now} in the store (a heartbeat to
   * another orchestrator process may have extended it).
   *
   * @return false if the attempt ended, or its lease is still valid
   */
  public boolean expire(String id, String reason, long now) {
    return db.update(
            """
            UPDATE attempt SET state = 'EXPIRED', reason = ?, ended_at = ?
            WHERE id = ? AND state = 'ACTIVE' AND lease_expires_at < ?
            """,
            reason,
            now,
            id,
            now)
        == 1;
  }

  /**
   * ACTIVE → an end state. Only one caller wins: a late report after expiry finds it EXPIRED.
   *
   * @return false if the attempt had already ended
   */
  public boolean end(String id, AttemptState state, String reason, long now) {
    return db.update(
            """
            UPDATE attempt SET state = ?, reason = ?, ended_at = ?
            WHERE id = ? AND state = 'ACTIVE'
            """,
            state.name(),
            reason,
            now,
            id)
        == 1;
  }

  /** Every active attempt. */
  public List<AttemptRecord> active() {
    return db.query("SELECT * FROM attempt WHERE state = 'ACTIVE'", AttemptRepository::map);
  }

  static AttemptRecord map(ResultSet rs) throws SQLException {
    return new AttemptRecord(
        rs.getString("id"),
        rs.getString("trial_id"),
        rs.getInt("number"),
        rs.getString("worker_id"),
        rs.getString("host"),
        rs.getString("device"),
        AttemptState.valueOf(rs.getString("state")),
        rs.getLong("lease_expires_at"),
        rs.getLong("started_at"),
        longOrNull(rs, "ended_at"),
        rs.getString("reason"));
  }
}
