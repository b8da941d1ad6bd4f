package dev.thaw.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Database#run} on the store (in-memory H2 here; {@link ScriptPostgresTest} runs the same on
 * PostgreSQL, where the statements go as one): counts in order, and a condition read from them
 * still decides what stays.
 */
@QuarkusTest
class ScriptTest {
  @Inject protected Database db;

  @BeforeEach
  void probeRows() {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              db.update("CREATE TABLE IF NOT EXISTS script_probe (id INT PRIMARY KEY, n INT)");
              db.update("DELETE FROM script_probe");
              db.update("INSERT INTO script_probe (id, n) VALUES (1, 0), (2, 0), (3, 0)");
            });
  }

  private List<Integer> ns() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                db.query(
                    "SELECT n FROM script_probe ORDER BY id",
                    rs -> {
                      int n = rs.getInt(1);
                      return rs.wasNull() ? null : n;
                    }));
  }

  @Test
  void countsComeBackInTheOrderTheStatementsWereAdded() {
    Script script = new Script();
    script.add("UPDATE script_probe SET n = ? WHERE id = ?", 7, 1);
    script.add("UPDATE script_probe SET n = ? WHERE id = ?", 7, 99);
    script.add("UPDATE script_probe SET n = n + ? WHERE id >= ?", 1, 2);
    script.add("INSERT INTO script_probe (id, n) VALUES (?, ?)", 4, null);
    int[] counts = QuarkusTransaction.requiringNew().call(() -> db.run(script));
    assertArrayEquals(new int[] {1, 0, 2, 1}, counts);
    assertEquals(java.util.Arrays.asList(7, 1, 1, null), ns());
  }

  @Test
  void aConditionThatDidNotHoldRollsBackWhatRanWithIt() {
    Script script = new Script();
    int condition = script.add("UPDATE script_probe SET n = 1 WHERE id = ? AND n = ?", 1, 5);
    script.add("UPDATE script_probe SET n = 9 WHERE id = ?", 2);
    script.add("INSERT INTO script_probe (id, n) VALUES (?, ?)", 4, 9);
    assertThrows(
        IllegalStateException.class,
        () ->
            QuarkusTransaction.requiringNew()
                .run(
                    () -> {
                      if (db.run(script)[condition] != 1) {
                        throw new IllegalStateException("condition did not hold");
                      }
                    }));
    assertEquals(List.of(0, 0, 0), ns(), "the update and insert that ran with it are gone");
  }

  @Test
  void aFailingStatementFailsTheScriptAndNothingOfItStays() {
    Script script = new Script();
    script.add("UPDATE script_probe SET n = 5 WHERE id = ?", 1);
    script.add("INSERT INTO script_probe (id, n) VALUES (?, ?)", 2, 0); // id 2 is taken
    script.add("UPDATE script_probe SET n = 5 WHERE id = ?", 3);
    assertThrows(
        StoreException.class, () -> QuarkusTransaction.requiringNew().run(() -> db.run(script)));
    assertEquals(List.of(0, 0, 0), ns());
  }

  @Test
  void aStatementWithASemicolonIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new Script().add("DELETE FROM a; DELETE FROM b"));
  }
}
