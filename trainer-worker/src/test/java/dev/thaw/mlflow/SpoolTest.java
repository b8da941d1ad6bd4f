package dev.thaw.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path tmp;

  private static SpoolOp.LogMetric metric(long seq, int step) {
    return new SpoolOp.LogMetric(seq, "run-1", "loss", 1.0 / step, step, 1000L + step);
  }

  @Test
  void aReopenedSpoolResumesWhatWasNotAcknowledgedAndKnowsWhatMayHaveBeenSent() throws IOException {
    Path dir = tmp.resolve("spool");
    try (Spool spool = Spool.open(dir)) {
      for (int step = 1; step <= 5; step++) {
        int s = step;
        spool.append(seq -> metric(seq, s));
      }
      spool.bind("run-1", new Spool.Binding("abc", "mlflow-artifacts:/1/abc/artifacts"));
      spool.inflight(2);
      spool.ack(2);
      spool.inflight(4); // sent 3..4, no reply
    }
    try (Spool spool = Spool.open(dir)) {
      assertEquals(3, spool.pendingCount());
      assertEquals(List.of(3L, 4L, 5L), spool.head(10).stream().map(SpoolOp::seq).toList());
      assertFalse(spool.uncertain(2), "acknowledged");
      assertTrue(spool.uncertain(3));
      assertTrue(spool.uncertain(4));
      assertFalse(spool.uncertain(5), "never sent");
      assertEquals("abc", spool.binding("run-1").orElseThrow().serverId());
      assertEquals(6, spool.append(seq -> metric(seq, 6)).seq());
    }
  }

  @Test
  void aTornLastLineIsDropped() throws IOException {
    Path dir = tmp.resolve("spool");
    try (Spool spool = Spool.open(dir)) {
      spool.append(seq -> metric(seq, 1));
      spool.append(seq -> metric(seq, 2));
    }
    Files.writeString(
        dir.resolve("journal.jsonl"),
        "{\"op\":\"metric\",\"seq\":3,\"ru",
        StandardOpenOption.APPEND);
    try (Spool spool = Spool.open(dir)) {
      assertEquals(2, spool.pendingCount());
      assertEquals(3, spool.append(seq -> metric(seq, 3)).seq());
    }
    try (Spool spool = Spool.open(dir)) {
      assertEquals(3, spool.pendingCount());
    }
  }

  @Test
  void oneOpenSpoolPerDirectory() throws IOException {
    Path dir = tmp.resolve("spool");
    try (Spool spool = Spool.open(dir)) {
      spool.append(seq -> metric(seq, 1));
      IOException e = assertThrows(IOException.class, () -> Spool.open(dir));
      assertTrue(e.getMessage().contains("in use by another open Tracker"), e.getMessage());
    }
  }

  @Test
  void anEmptySpoolIsRemovedOnCloseAndAFullOneStays() throws IOException {
    Path dir = tmp.resolve("spool");
    try (Spool spool = Spool.open(dir)) {
      spool.append(seq -> metric(seq, 1));
    }
    assertTrue(Files.exists(dir.resolve("journal.jsonl")));
    try (Spool spool = Spool.open(dir)) {
      spool.ack(1);
    }
    assertFalse(Files.exists(dir), "drained spool removed");
  }

  @Test
  void compactionKeepsBindingsAndNumbering() throws IOException {
    Path dir = tmp.resolve("spool");
    try (Spool spool = Spool.open(dir, 100)) {
      spool.bind("run-1", new Spool.Binding("abc", null));
      for (int step = 1; step <= 10; step++) {
        int s = step;
        spool.append(seq -> metric(seq, s));
      }
      spool.ack(10); // journal > 100 bytes: compacted
      assertEquals(0, Files.size(dir.resolve("journal.jsonl")));
      spool.append(seq -> metric(seq, 11));
    }
    try (Spool spool = Spool.open(dir)) {
      assertEquals(List.of(11L), spool.head(10).stream().map(SpoolOp::seq).toList());
      assertEquals("abc", spool.binding("run-1").orElseThrow().serverId());
      assertEquals(
          2,
          Files.readAllLines(dir.resolve("state.jsonl"), StandardCharsets.UTF_8).size(),
          "compacted state: acked and the binding");
    }
  }
}
