package dev.thaw.orchestrator.leases;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.h2.tools.TriggerAdapter;

/**
 * An H2 trigger (tests only) that holds each trial's RUNNING → COMPLETED update of one sweep inside
 * its transaction until {@code parties} such updates are made: every completing transaction then
 * goes on while the others' ends are still uncommitted, which is the interleaving in which each of
 * them sees the others as running.
 *
 * <p>H2 loads trigger classes with another class loader than Quarkus's test class loader, so this
 * class's statics are not the test's: the test hands over the sweep and the barrier (a JDK class,
 * the same for both) through the system properties, under {@link #KEY}.
 */
public class HoldTrialEnds extends TriggerAdapter {
  static final String KEY = "thaw.test.hold-trial-ends";

  /** Holds the ends of {@code sweepId}'s trials until {@code parties} of them are made. */
  static void arm(String sweepId, int parties) {
    System.getProperties().put(KEY, new Object[] {sweepId, new CyclicBarrier(parties)});
  }

  static void disarm() {
    System.getProperties().remove(KEY);
  }

  @Override
  public void fire(Connection conn, ResultSet oldRow, ResultSet newRow) throws SQLException {
    if (!(System.getProperties().get(KEY) instanceof Object[] armed)
        || oldRow == null
        || newRow == null
        || !newRow.getString("sweep_id").equals(armed[0])
        || !"RUNNING".equals(oldRow.getString("state"))
        || !"COMPLETED".equals(newRow.getString("state"))) {
      return;
    }
    try {
      ((CyclicBarrier) armed[1]).await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new SQLException("the other trial's end never came", e);
    }
  }
}
