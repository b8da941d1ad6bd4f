package dev.thaw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the export lines that scripts/test-postgres prints with printf %q. */
class ThrowawayPostgresTest {
  @Test
  void readsPlainAndQuotedExportLines() {
    String out =
        """
        export THAW_TEST_PG_URL=jdbc:postgresql://127.0.0.1:40312/thaw
        export THAW_TEST_PG_USER=thaw
        export THAW_TEST_PG_PASSWORD='3f9a0c'
        some other line
        """;
    assertEquals(
        Map.of(
            "THAW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:40312/thaw",
            "THAW_TEST_PG_USER", "thaw",
            "THAW_TEST_PG_PASSWORD", "3f9a0c"),
        ThrowawayPostgres.parseExports(out));
  }
}
