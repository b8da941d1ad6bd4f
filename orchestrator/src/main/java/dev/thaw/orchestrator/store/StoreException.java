package dev.thaw.orchestrator.store;

import java.sql.SQLException;

/** A database call failed; names the statement and the database's own message. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StoreException(String statement, SQLException cause) {
    super(
        "database error ("
            + cause.getSQLState()
            + "): "
            + cause.getMessage()
            + " in: "
            + statement.strip().replaceAll("\\s+", " "),
        cause);
  }
}
