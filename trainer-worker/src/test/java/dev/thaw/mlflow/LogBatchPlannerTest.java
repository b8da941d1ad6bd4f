package dev.thaw.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogBatchPlannerTest {
  private long seq;

  private SpoolOp metric(String run, int step) {
    return new SpoolOp.LogMetric(++seq, run, "loss", 0.5, step, 1000L + step);
  }

  private SpoolOp param(String run, String key) {
    return new SpoolOp.LogParam(++seq, run, key, "v");
  }

  private SpoolOp tag(String run, String key) {
    return new SpoolOp.SetTag(++seq, run, key, "v");
  }

  @Test
  void metricsAreCutAtAThousand() {
    List<SpoolOp> queue = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      queue.add(metric("a", i));
    }
    List<SpoolOp> batch = LogBatchPlanner.next(queue, LogBatchPlanner.MAX_ITEMS);
    assertEquals(1000, batch.size());
    assertEquals(queue.get(999), batch.get(999));
  }

  @Test
  void paramsAndTagsAreCutAtAHundredEach() {
    List<SpoolOp> params = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      params.add(param("a", "p" + i));
    }
    assertEquals(100, LogBatchPlanner.next(params, 1000).size());
    List<SpoolOp> tags = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      tags.add(tag("a", "t" + i));
    }
    assertEquals(100, LogBatchPlanner.next(tags, 1000).size());
  }

  @Test
  void aBatchHoldsAtMostAThousandItemsInAll() {
    List<SpoolOp> queue = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      queue.add(param("a", "p" + i));
      queue.add(tag("a", "t" + i));
    }
    for (int i = 0; i < 950; i++) {
      queue.add(metric("a", i));
    }
    List<SpoolOp> batch = LogBatchPlanner.next(queue, 1000);
    assertEquals(1000, batch.size());
    assertEquals(
        900, batch.stream().filter(op -> op instanceof SpoolOp.LogMetric).count(), "metrics");
  }

  @Test
  void aRepeatedParamOrTagKeyStartsTheNextBatch() {
    List<SpoolOp> queue = List.of(param("a", "lr"), metric("a", 1), param("a", "lr"));
    assertEquals(2, LogBatchPlanner.next(queue, 1000).size());
    List<SpoolOp> tags = List.of(tag("a", "state"), tag("a", "state"));
    assertEquals(1, LogBatchPlanner.next(tags, 1000).size());
  }

  @Test
  void aBatchStopsAtAnotherRunOrAnOperationThatIsNotBatchable() {
    List<SpoolOp> queue = List.of(metric("a", 1), metric("a", 2), metric("b", 1), metric("a", 3));
    assertEquals(2, LogBatchPlanner.next(queue, 1000).size());
    List<SpoolOp> withEnd =
        List.of(
            metric("a", 1), new SpoolOp.EndRun(++seq, "a", RunStatus.FINISHED, 0), metric("a", 2));
    assertEquals(1, LogBatchPlanner.next(withEnd, 1000).size());
    List<SpoolOp> startFirst =
        List.of(new SpoolOp.StartRun(++seq, "a", "e", "r", null, Map.of(), 0), metric("a", 1));
    assertThrows(IllegalArgumentException.class, () -> LogBatchPlanner.next(startFirst, 1000));
  }

  @Test
  void oneAtATimeWhenAsked() {
    List<SpoolOp> queue = List.of(metric("a", 1), metric("a", 2));
    assertEquals(1, LogBatchPlanner.next(queue, 1).size());
  }
}
