package dev.thaw.orchestrator.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Statements that belong to one step of a transaction, collected so that {@link Database#run} can
 * send them to the store together: on PostgreSQL each statement on its own is a network round trip
 * to the server, and the worker's hot path (lease, heartbeat, result) runs a few per transaction.
 * Repositories add their own SQL (they keep owning it) and hand back the statement's index; the
 * caller reads that statement's update count from what {@link Database#run} returns and decides, as
 * it did when each statement ran alone: a condition that did not hold (a count of 0) means
 * throwing, or marking the transaction for rollback, so the statements that ran with it do not
 * stay.
 *
 * <p>Since every statement runs whatever the counts before it, a statement whose effect depends on
 * an earlier one's count must not fail on its own when that count is 0 (make it conditional, see
 * {@link AttemptRepository#insertIfStarted}).
 */
public final class Script {
  /** One statement and its parameters. */
  record Statement(String sql, Object[] params) {}

  private final List<Statement> statements = new ArrayList<>();

  /**
   * Adds an INSERT, UPDATE or DELETE (one statement, no {@code ;}).
   *
   * @return its index in the counts {@link Database#run} returns
   */
  public int add(String sql, Object... params) {
    if (sql.indexOf(';') >= 0) {
      throw new IllegalArgumentException("one statement at a time: " + sql);
    }
    statements.add(new Statement(sql.strip(), params.clone()));
    return statements.size() - 1;
  }

  /** How many statements were added. */
  public int size() {
    return statements.size();
  }

  List<Statement> statements() {
    return Collections.unmodifiableList(statements);
  }
}
