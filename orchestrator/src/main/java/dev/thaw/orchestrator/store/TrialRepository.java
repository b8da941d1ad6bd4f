package dev.thaw.orchestrator.store;

import static dev.thaw.orchestrator.store.Database.doubleOrNull;
import static dev.thaw.orchestrator.store.Database.intOrNull;
import static dev.thaw.orchestrator.store.Database.longOrNull;

import dev.thaw.api.TrialState;
import dev.thaw.protocol.StopRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Trials in the store. State changes are conditional on the current state, so races lose. */
@ApplicationScoped
public class TrialRepository {
  private final Database db;

  TrialRepository(Database db) {
    this.db = db;
  }

  /** Stores new trials (one batch). */
  public void insert(List<TrialRecord> queued) {
    db.batch(
        """
        INSERT INTO trial (id, sweep_id, number, proposal_index, grid_index, config_hash,
          params_json, spec_json, state, attempts, queued_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
        """,
        queued.stream()
            .map(
                t ->
                    new Object[] {
                      t.id(),
                      t.sweepId(),
                      t.number(),
                      t.proposalIndex(),
                      t.gridIndex(),
                      t.configHash(),
                      t.paramsJson(),
                      t.specJson(),
                      t.state().name(),
                      t.queuedAt()
                    })
            .toList());
  }

  public Optional<TrialRecord> find(String id) {
    return db.first("SELECT * FROM trial WHERE id = ?", TrialRepository::map, id);
  }

  /** A sweep's trial by its number (unique within the sweep). */
  public Optional<TrialRecord> ofSweep(String sweepId, int number) {
    return db.first(
        "SELECT * FROM trial WHERE sweep_id = ? AND number = ?",
        TrialRepository::map,
        sweepId,
        number);
  }

  /** A sweep's last {@code limit} trials by number, in creation order. */
  public List<TrialRecord> latestOfSweep(String sweepId, int limit) {
    List<TrialRecord> latest =
        new ArrayList<>(
            db.query(
                "SELECT * FROM trial WHERE sweep_id = ? ORDER BY number DESC LIMIT ?",
                TrialRepository::map,
                sweepId,
                limit));
    Collections.reverse(latest);
    return latest;
  }

  /** A sweep's trials in creation order. */
  public List<TrialRecord> ofSweep(String sweepId) {
    return db.query(
        "SELECT * FROM trial WHERE sweep_id = ? ORDER BY number", TrialRepository::map, sweepId);
  }

  /**
   * What the search needs of a sweep's trials: every configuration hash (to propose none twice),
   * and the configuration and objective of each completed one (for searches that learn). Lighter
   * than {@link #ofSweep}: no spec or result JSON.
   */
  public record Searched(
      String configHash, TrialState state, String paramsJson, Double objective) {}

  /** The {@link Searched} view of a sweep's trials, in creation order. */
  public List<Searched> searchedOf(String sweepId) {
    return db.query(
        "SELECT config_hash, state, params_json, objective FROM trial WHERE sweep_id = ?"
            + " ORDER BY number",
        rs ->
            new Searched(
                rs.getString("config_hash"),
                TrialState.valueOf(rs.getString("state")),
                rs.getString("params_json"),
                Database.doubleOrNull(rs, "objective")),
        sweepId);
  }

  /** How many of a sweep's trials are in each state (every state present, 0 when none). */
  public Map<TrialState, Integer> countByState(String sweepId) {
    Map<TrialState, Integer> counts = new EnumMap<>(TrialState.class);
    for (TrialState s : TrialState.values()) {
      counts.put(s, 0);
    }
    db.query(
            "SELECT state, count(*) AS n FROM trial WHERE sweep_id = ? GROUP BY state",
            rs -> Map.entry(TrialState.valueOf(rs.getString("state")), rs.getInt("n")),
            sweepId)
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  /** How many of a sweep's trials are in one of {@code states} (an index range, not a scan). */
  public int countIn(String sweepId, TrialState... states) {
    String marks = String.join(", ", java.util.Collections.nCopies(states.length, "?"));
    Object[] params = new Object[states.length + 1];
    params[0] = sweepId;
    for (int i = 0; i < states.length; i++) {
      params[i + 1] = states[i].name();
    }
    return (int)
        db.count(
            "SELECT count(*) FROM trial WHERE sweep_id = ? AND state IN (" + marks + ")", params);
  }

  /** Whether any trial of the sweep is queued or running. */
  public boolean anyActive(String sweepId) {
    return any(sweepId, TrialState.QUEUED) || any(sweepId, TrialState.RUNNING);
  }

  /**
   * Whether any trial of the sweep is in {@code state}: the first entry of an index range (one
   * probe per state; H2 walks an {@code IN} list far more slowly).
   */
  private boolean any(String sweepId, TrialState state) {
    return db.first(
            """
            SELECT 1 FROM trial WHERE sweep_id = ? AND state = ?
            ORDER BY sweep_id, state, number LIMIT 1
            """,
            rs -> Boolean.TRUE,
            sweepId,
            state.name())
        .isPresent();
  }

  /** How many trials the sweep has. */
  public int countAll(String sweepId) {
    return (int) db.count("SELECT count(*) FROM trial WHERE sweep_id = ?", sweepId);
  }

  /**
   * A queued trial as the dispatcher keeps it: what a lease of it sends, so leasing it needs no
   * read ({@code spec_json} and {@code config_hash} never change; {@code attempts} is checked by
   * {@link #start}).
   *
   * @param id the trial
   * @param number the trial's number in its sweep
   * @param attempts attempts before this one (the lease's attempt is one more)
   * @param configHash the configuration hash
   * @param specJson the resolved trial spec
   */
  public record Queued(String id, int number, int attempts, String configHash, String specJson) {}

  /** A sweep's first {@code limit} queued trials, lowest number first (an index range). */
  public List<Queued> queued(String sweepId, int limit) {
    return db.query(
        """
        SELECT id, number, attempts, config_hash, spec_json FROM trial
        WHERE sweep_id = ? AND state = 'QUEUED'
        ORDER BY sweep_id, state, number LIMIT ?
        """,
        rs ->
            new Queued(
                rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getString(4), rs.getString(5)),
        sweepId,
        limit);
  }

  /**
   * The ended trials of a sweep.
   *
   * @param count how many trials ended, failed ones included
   * @param best the best objective of the ended trials that did not fail, or null
   */
  public record Ended(int count, Double best) {}

  /** How many of a sweep's trials ended and their best objective, in one aggregate query. */
  public Ended endedSummary(String sweepId, boolean maximize) {
    String best = maximize ? "MAX" : "MIN";
    return db.first(
            "SELECT count(*), "
                + best
                + "(CASE WHEN state <> 'FAILED' THEN objective END) FROM trial"
                + " WHERE sweep_id = ? AND state NOT IN ('QUEUED', 'RUNNING')",
            rs -> new Ended(rs.getInt(1), doubleOrNull(rs, 2)),
            sweepId)
        .orElse(new Ended(0, null));
  }

  /**
   * QUEUED → RUNNING for attempt {@code attempts + 1}, only if the trial is still queued with
   * {@code attempts} attempts behind it (as {@link #queued} read it): a trial taken, requeued or
   * cancelled since is not started on a stale read. Added to a script, to run with the attempt's
   * insert.
   *
   * @return the index of its count: 0 if the trial is no longer as read (another worker took it
   *     first, ...)
   */
  public int start(Script script, String id, int attempts, long now) {
    return script.add(
        """
        UPDATE trial SET state = 'RUNNING', attempts = attempts + 1, started_at = ?,
          stop_requested = NULL, epochs_done = 0
        WHERE id = ? AND state = 'QUEUED' AND attempts = ?
        """,
        now,
        id,
        attempts);
  }

  /** Asks a running trial to stop at its next heartbeat (keeps the first reason given). */
  public void requestStop(String id, StopRequest why, String reason) {
    reason = StoredText.reason(reason);
    db.update(
        """
        UPDATE trial SET stop_requested = ?, reason = ?
        WHERE id = ? AND state = 'RUNNING' AND stop_requested IS NULL
        """,
        why.key(),
        reason,
        id);
  }

  /** Adds the progress of the running attempt to a script. */
  public void progress(Script script, String id, Double objective, Integer bestEpoch, int done) {
    script.add(
        "UPDATE trial SET objective = ?, best_epoch = ?, epochs_done = ? WHERE id = ?",
        objective,
        bestEpoch,
        done,
        id);
  }

  /**
   * RUNNING → an end state with the worker's result, added to a script (that ends the attempt).
   *
   * @return the index of its count: 0 if the trial was not running (its result is already in)
   */
  public int finish(
      Script script,
      String id,
      TrialState state,
      Double objective,
      Integer bestEpoch,
      int epochsDone,
      String resultJson,
      String reason,
      long now) {
    reason = StoredText.reason(reason);
    return script.add(
        """
        UPDATE trial SET state = ?, objective = ?, best_epoch = ?, epochs_done = ?,
          result_json = ?, reason = COALESCE(?, reason), finished_at = ?
        WHERE id = ? AND state = 'RUNNING'
        """,
        state.name(),
        objective,
        bestEpoch,
        epochsDone,
        resultJson,
        reason,
        now,
        id);
  }

  /** RUNNING → QUEUED for another attempt. */
  public boolean requeue(String id, String reason) {
    reason = StoredText.reason(reason);
    return db.update(
            """
            UPDATE trial SET state = 'QUEUED', reason = ?, stop_requested = NULL
            WHERE id = ? AND state = 'RUNNING'
            """,
            reason,
            id)
        == 1;
  }

  /** RUNNING → FAILED, CANCELLED or PRUNED without a result. */
  public boolean end(String id, TrialState state, String reason, long now) {
    reason = StoredText.reason(reason);
    return db.update(
            """
            UPDATE trial SET state = ?, reason = ?, finished_at = ?
            WHERE id = ? AND state = 'RUNNING'
            """,
            state.name(),
            reason,
            now,
            id)
        == 1;
  }

  /** Cancels every queued trial of a sweep; returns how many. */
  public int cancelQueued(String sweepId, String reason, long now) {
    reason = StoredText.reason(reason);
    return db.update(
        """
        UPDATE trial SET state = 'CANCELLED', reason = ?, finished_at = ?
        WHERE sweep_id = ? AND state = 'QUEUED'
        """,
        reason,
        now,
        sweepId);
  }

  /** Asks every running trial of a sweep to stop. */
  public void requestStopAll(String sweepId, StopRequest why, String reason) {
    reason = StoredText.reason(reason);
    db.update(
        """
        UPDATE trial SET stop_requested = ?, reason = ?
        WHERE sweep_id = ? AND state = 'RUNNING' AND stop_requested IS NULL
        """,
        why.key(),
        reason,
        sweepId);
  }

  static TrialRecord map(ResultSet rs) throws SQLException {
    return new TrialRecord(
        rs.getString("id"),
        rs.getString("sweep_id"),
        rs.getInt("number"),
        rs.getInt("proposal_index"),
        intOrNull(rs, "grid_index"),
        rs.getString("config_hash"),
        rs.getString("params_json"),
        rs.getString("spec_json"),
        TrialState.valueOf(rs.getString("state")),
        rs.getInt("attempts"),
        StopRequest.ofKey(rs.getString("stop_requested")),
        doubleOrNull(rs, "objective"),
        intOrNull(rs, "best_epoch"),
        rs.getInt("epochs_done"),
        rs.getString("result_json"),
        rs.getString("reason"),
        rs.getLong("queued_at"),
        longOrNull(rs, "started_at"),
        longOrNull(rs, "finished_at"));
  }
}
