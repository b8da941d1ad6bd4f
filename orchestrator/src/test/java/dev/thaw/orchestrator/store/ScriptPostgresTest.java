package dev.thaw.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.thaw.orchestrator.PostgresStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The script tests again on PostgreSQL, and that a script there is one round trip: PgJDBC ends
 * every exchange with the server with a Sync message and waits for its ReadyForQuery, and logs each
 * Sync it sends (" FE=> Sync", at FINEST). Counting them on this thread while a script runs counts
 * the round trips; the same statements run one by one take one each.
 */
@QuarkusTest
@TestProfile(PostgresStore.class)
@EnabledIfEnvironmentVariable(named = "THAW_TEST_PG_URL", matches = ".+")
class ScriptPostgresTest extends ScriptTest {
  private static final Logger PGJDBC = Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");

  @Test
  void aScriptIsOneRoundTrip() {
    Script script = new Script();
    script.add("UPDATE script_probe SET n = ? WHERE id = ?", 1, 1);
    script.add("UPDATE script_probe SET n = ? WHERE id = ?", 2, 2);
    script.add("INSERT INTO script_probe (id, n) VALUES (?, ?)", 4, 4);
    int[][] counts = new int[1][];
    int oneByOne =
        syncs(
            () -> {
              db.update("UPDATE script_probe SET n = ? WHERE id = ?", 1, 1);
              db.update("UPDATE script_probe SET n = ? WHERE id = ?", 2, 2);
              db.update("INSERT INTO script_probe (id, n) VALUES (?, ?)", 5, 5);
            });
    assertEquals(3, oneByOne, "the measure: one Sync per statement run alone");
    assertEquals(1, syncs(() -> counts[0] = db.run(script)), "one Sync for the whole script");
    assertArrayEquals(new int[] {1, 1, 1}, counts[0]);
  }

  /** Sync messages this thread sends while {@code work} runs, inside one transaction. */
  private int syncs(Runnable work) {
    AtomicInteger syncs = new AtomicInteger();
    Thread me = Thread.currentThread();
    Handler counter =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (Thread.currentThread() == me && " FE=> Sync".equals(r.getMessage())) {
              syncs.incrementAndGet();
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              db.count("SELECT 1"); // begins the transaction on the connection, not counted
              Level before = PGJDBC.getLevel();
              PGJDBC.setLevel(Level.FINEST);
              PGJDBC.addHandler(counter);
              try {
                work.run();
              } finally {
                PGJDBC.removeHandler(counter);
                PGJDBC.setLevel(before);
              }
            });
    return syncs.get();
  }
}
