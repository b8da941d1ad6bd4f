package dev.thaw.orchestrator.leases;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.h2.tools.TriggerAdapter;

/**
 * An H2 trigger (tests only) that makes the first update of one sweep to COMPLETED fail, as a
 * database error at that moment would. The sweep's id is handed over through the system properties
 * under {@link #KEY} (see {@link HoldTrialEnds} for why) and removed when it fails.
 */
public class FailSweepEndOnce extends TriggerAdapter {
  static final String KEY = "thaw.test.fail-sweep-end";

  @Override
  public void fire(Connection conn, ResultSet oldRow, ResultSet newRow) throws SQLException {
    if (newRow != null
        && "COMPLETED".equals(newRow.getString("state"))
        && System.getProperties().remove(KEY, newRow.getString("id"))) {
      throw new SQLException("made-up failure of the sweep's end");
    }
  }
}
