package dev.thaw.orchestrator.store;

import static dev.thaw.orchestrator.store.Database.doubleOrNull;
import static dev.thaw.orchestrator.store.Database.longOrNull;

import dev.thaw.sweep.api.SweepState;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Sweeps in the store. */
@ApplicationScoped
public class SweepRepository {
  private final Database db;

  SweepRepository(Database db) {
    this.db = db;
  }

  public void insert(SweepRecord s) {
    db.update(
        """
        INSERT INTO sweep (id, name, state, method, objective_metric, objective_goal,
          objective_target, max_trials, parallel_trials, max_failed_trials, retries, seed,
          source_groups, next_proposal, exhausted, spec_yaml, created_at, mlflow_parent_run_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        s.id(),
        s.name(),
        s.state().name(),
        s.method(),
        s.objectiveMetric(),
        s.maximize() ? "maximize" : "minimize",
        s.objectiveTarget(),
        s.maxTrials(),
        s.parallelTrials(),
        s.maxFailedTrials(),
        s.retries(),
        s.seed(),
        s.sourceGroups(),
        s.nextProposal(),
        s.exhausted(),
        s.specYaml(),
        s.createdAt(),
        s.mlflowParentRunId());
  }

  /**
   * Records the MLflow server's id of the sweep's parent run, unless one is recorded already.
   *
   * @return false if the sweep had one
   */
  public boolean setMlflowParentRunId(String id, String runId) {
    return db.update(
            "UPDATE sweep SET mlflow_parent_run_id = ? WHERE id = ? AND mlflow_parent_run_id IS NULL",
            runId,
            id)
        == 1;
  }

  /** Links a sweep to the schedule it is execution {@code execution} of. */
  public void linkExecution(String id, String scheduleId, int execution) {
    db.update(
        "UPDATE sweep SET schedule_id = ?, execution = ? WHERE id = ?", scheduleId, execution, id);
  }

  public Optional<SweepRecord> find(String id) {
    return db.first("SELECT * FROM sweep WHERE id = ?", SweepRepository::map, id);
  }

  /** Every sweep, newest first. */
  public List<SweepRecord> all() {
    return db.query("SELECT * FROM sweep ORDER BY created_at DESC, id", SweepRepository::map);
  }

  /** Records how far the search got. */
  public void updateSearch(String id, int nextProposal, boolean exhausted) {
    db.update(
        "UPDATE sweep SET next_proposal = ?, exhausted = ? WHERE id = ?",
        nextProposal,
        exhausted,
        id);
  }

  /**
   * Ends a running sweep.
   *
   * @return false if it had already ended
   */
  public boolean end(String id, SweepState state, String reason, long now) {
    return db.update(
            "UPDATE sweep SET state = ?, stop_reason = ?, finished_at = ? WHERE id = ? AND state = ?",
            state.name(),
            reason,
            now,
            id,
            SweepState.RUNNING.name())
        == 1;
  }

  static SweepRecord map(ResultSet rs) throws SQLException {
    return new SweepRecord(
        rs.getString("id"),
        rs.getString("name"),
        SweepState.valueOf(rs.getString("state")),
        rs.getString("method"),
        rs.getString("objective_metric"),
        rs.getString("objective_goal").equals("maximize"),
        doubleOrNull(rs, "objective_target"),
        rs.getInt("max_trials"),
        rs.getInt("parallel_trials"),
        rs.getInt("max_failed_trials"),
        rs.getInt("retries"),
        rs.getLong("seed"),
        rs.getInt("source_groups"),
        rs.getInt("next_proposal"),
        rs.getBoolean("exhausted"),
        rs.getString("spec_yaml"),
        rs.getLong("created_at"),
        longOrNull(rs, "finished_at"),
        rs.getString("stop_reason"),
        rs.getString("mlflow_parent_run_id"));
  }
}
