package dev.thaw.orchestrator.store;

import static dev.thaw.orchestrator.store.Database.doubleOrNull;
import static dev.thaw.orchestrator.store.Database.longOrNull;

import dev.thaw.api.SweepState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sweeps in the store.
 *
 * <p>Running sweeps are read on every lease, heartbeat and result, so {@link #find} keeps the
 * committed rows of running sweeps in memory. Every change made here forgets the sweep at once and
 * again when its transaction ends (so a row read by another thread meanwhile is not kept), and a
 * transaction that changed a sweep never caches what it reads (it may roll back). This holds
 * because this class makes every change to a sweep row, in this one orchestrator process.
 */
@ApplicationScoped
public class SweepRepository {
  private static final String CHANGED = SweepRepository.class.getName() + ".changed";

  private final Database db;
  private final TransactionSynchronizationRegistry transactions;
  private final Map<String, SweepRecord> running = new HashMap<>();
  private long changes;

  SweepRepository(Database db, TransactionSynchronizationRegistry transactions) {
    this.db = db;
    this.transactions = transactions;
  }

  public void insert(SweepRecord s) {
    forget(s.id());
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
    forget(id);
    return db.update(
            "UPDATE sweep SET mlflow_parent_run_id = ? WHERE id = ? AND mlflow_parent_run_id IS NULL",
            runId,
            id)
        == 1;
  }

  /** Links a sweep to the schedule it is execution {@code execution} of. */
  public void linkExecution(String id, String scheduleId, int execution) {
    forget(id);
    db.update(
        "UPDATE sweep SET schedule_id = ?, execution = ? WHERE id = ?", scheduleId, execution, id);
  }

  public Optional<SweepRecord> find(String id) {
    long seen;
    synchronized (running) {
      SweepRecord cached = running.get(id);
      if (cached != null) {
        return Optional.of(cached);
      }
      seen = changes;
    }
    Optional<SweepRecord> found =
        db.first("SELECT * FROM sweep WHERE id = ?", SweepRepository::map, id);
    if (found.isPresent()
        && found.get().state() == SweepState.RUNNING
        && !changedInThisTransaction()) {
      synchronized (running) {
        if (changes == seen) {
          running.put(id, found.get());
        }
      }
    }
    return found;
  }

  /** Every sweep, newest first. */
  public List<SweepRecord> all() {
    return db.query("SELECT * FROM sweep ORDER BY created_at DESC, id", SweepRepository::map);
  }

  /** Records how far the search got. */
  public void updateSearch(String id, int nextProposal, boolean exhausted) {
    forget(id);
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
    reason = StoredText.reason(reason);
    forget(id);
    return db.update(
            "UPDATE sweep SET state = ?, stop_reason = ?, finished_at = ? WHERE id = ? AND state = ?",
            state.name(),
            reason,
            now,
            id,
            SweepState.RUNNING.name())
        == 1;
  }

  /** Drops the sweep from memory now and again when the current transaction ends. */
  private void forget(String id) {
    drop(id);
    if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
      transactions.putResource(CHANGED, Boolean.TRUE);
      transactions.registerInterposedSynchronization(
          new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
              drop(id);
            }
          });
    }
  }

  private void drop(String id) {
    synchronized (running) {
      changes++;
      running.remove(id);
    }
  }

  private boolean changedInThisTransaction() {
    return transactions.getTransactionStatus() == Status.STATUS_ACTIVE
        && transactions.getResource(CHANGED) != null;
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
