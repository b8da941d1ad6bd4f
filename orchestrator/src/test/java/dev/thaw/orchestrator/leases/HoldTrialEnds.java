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
 */
public class HoldTrialEnds extends TriggerAdapter {
  static volatile String sweepId;
  static volatile CyclicBarrier barrier;

  @Override
  public void fire(Connection conn, ResultSet oldRow, ResultSet newRow) throws SQLException {
    CyclicBarrier b = barrier;
    if (b == null
        || oldRow == null
        || newRow == null
        || !newRow.getString("sweep_id").equals(sweepId)
        || !"RUNNING".equals(oldRow.getString("state"))
        || !"COMPLETED".equals(newRow.getString("state"))) {
      return;
    }
    try {
      b.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new SQLException("the other trial's end never came", e);
    }
  }
}
