package dev.thaw.mlflow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cuts the next {@code logBatch} request from the head of the queue: consecutive metrics, params
 * and tags of one run, within MLflow's limits per request (1000 metrics, 100 params, 100 tags, 1000
 * in all), and never the same param or tag key twice (MLflow refuses a batch with a duplicate param
 * key; for tags, the later value must win, as it would when sent one by one).
 */
final class LogBatchPlanner {
  static final int MAX_METRICS = 1000;
  static final int MAX_PARAMS = 100;
  static final int MAX_TAGS = 100;
  static final int MAX_ITEMS = 1000;

  private LogBatchPlanner() {}

  /**
   * The longest batch at the head of {@code queue}, whose first operation must be batchable.
   *
   * @param queue pending operations, oldest first
   * @param maxItems at most this many operations (1 to send one at a time)
   */
  static List<SpoolOp> next(List<SpoolOp> queue, int maxItems) {
    if (queue.isEmpty() || !queue.get(0).batchable()) {
      throw new IllegalArgumentException("the head of the queue is not a metric, param or tag");
    }
    String run = queue.get(0).run();
    int metrics = 0;
    Set<String> paramKeys = new HashSet<>();
    Set<String> tagKeys = new HashSet<>();
    List<SpoolOp> batch = new ArrayList<>();
    for (SpoolOp op : queue) {
      if (!op.batchable()
          || !op.run().equals(run)
          || batch.size() >= Math.min(maxItems, MAX_ITEMS)) {
        break;
      }
      boolean fits =
          switch (op) {
            case SpoolOp.LogMetric m -> metrics < MAX_METRICS;
            case SpoolOp.LogParam p ->
                paramKeys.size() < MAX_PARAMS && !paramKeys.contains(p.key());
            case SpoolOp.SetTag t -> tagKeys.size() < MAX_TAGS && !tagKeys.contains(t.key());
            default -> false;
          };
      if (!fits) {
        break;
      }
      switch (op) {
        case SpoolOp.LogMetric m -> metrics++;
        case SpoolOp.LogParam p -> paramKeys.add(p.key());
        case SpoolOp.SetTag t -> tagKeys.add(t.key());
        default -> throw new IllegalStateException("not batchable: " + op);
      }
      batch.add(op);
    }
    return batch;
  }
}
