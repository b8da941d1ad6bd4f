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

  /**
   * Adds the insert of a just-started attempt to a script that starts its trial ({@link
   * TrialRepository#start(Script, String, int, long)}): it inserts only if the trial runs this
   * attempt and no attempt of that number exists. Both run whatever the start's count; when another
   * worker took the trial first (start count 0), its committed attempt is there, and this insert
   * adds nothing instead of failing on the attempt number.
   *
   * @return the index of the insert's count (1 inserted, 0 not)
   */
  public int insertIfStarted(Script script, AttemptRecord a) {
    return script.add(
        """
        INSERT INTO attempt (id, trial_id, number, worker_id, host, device, state,
          lease_expires_at, started_at)
        SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? FROM trial t
        WHERE t.id = ? AND t.state = 'RUNNING' AND t.attempts = ?
          AND NOT EXISTS (SELECT 1 FROM attempt o WHERE o.trial_id = ? AND o.number = ?)
        """,
        a.id(),
        a.trialId(),
        a.number(),
        a.workerId(),
        a.host(),
        a.device(),
        a.state().name(),
        a.leaseExpiresAt(),
        a.startedAt(),
        a.trialId(),
        a.number(),
        a.trialId(),
        a.number());
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
    return db.update(EXTEND, expiresAt, id) == 1;
  }

  /**
   * Adds {@link #extend(String, long)} to a script.
   *
   * @return the index of its count: 1 extended, 0 the lease is no longer active
   */
  public int extend(Script script, String id, long expiresAt) {
    return script.add(EXTEND, expiresAt, id);
  }

  private static final String EXTEND =
      "UPDATE attempt SET lease_expires_at = ? WHERE id = ? AND state = 'ACTIVE'";

  /**
   * ACTIVE → EXPIRED, only if its lease ran out before {@code now} in the store (a heartbeat to
   * another orchestrator process may have extended it).
   *
   * @return false if the attempt ended, or its lease is still valid
   */
  public boolean expire(String id, String reason, long now) {
    reason = StoredText.reason(reason);
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
    reason = StoredText.reason(reason);
    return db.update(END, state.name(), reason, now, id) == 1;
  }

  /**
   * Adds {@link #end(String, AttemptState, String, long)} to a script.
   *
   * @return the index of its count: 1 ended, 0 the attempt had already ended
   */
  public int end(Script script, String id, AttemptState state, String reason, long now) {
    reason = StoredText.reason(reason);
    return script.add(END, state.name(), reason, now, id);
  }

  private static final String END =
      """
      UPDATE attempt SET state = ?, reason = ?, ended_at = ?
      WHERE id = ? AND state = 'ACTIVE'
      """;

  /** How many of the trial's attempts ended in {@code state}. */
  public int countOf(String trialId, AttemptState state) {
    return (int)
        db.count(
            "SELECT count(*) FROM attempt WHERE trial_id = ? AND state = ?", trialId, state.name());
  }

  /** Every active attempt. */
  public List<AttemptRecord> active() {
    return db.query("SELECT * FROM attempt WHERE state = 'ACTIVE'", AttemptRepository::map);
  }

  /** Attempts whose lease expired at or after {@code since} (epoch ms). */
  public List<AttemptRecord> expiredSince(long since) {
    return db.query(
        "SELECT * FROM attempt WHERE state = 'EXPIRED' AND ended_at >= ?",
        AttemptRepository::map,
        since);
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
