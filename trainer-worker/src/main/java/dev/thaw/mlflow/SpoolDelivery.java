package dev.thaw.mlflow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the operation (or the {@code logBatch} of operations) at the head of the spool, exactly
 * once, for {@link SpoolSender}: an operation that may have reached the server without an
 * acknowledgement ({@link Spool#uncertain}) is checked before it is sent again. A run is looked up
 * by its {@link MlflowGateway#RUN_KEY_TAG} tag before it is created; a metric point (key, step,
 * timestamp, value) is dropped when the server's history of that metric has it. Params (same
 * value), tags, end of run and artifact uploads (same path) are idempotent on the server, so they
 * are simply sent again. A request the server refuses for good is logged and dropped; a refused
 * batch is first split into single operations, so only the bad one is lost.
 */
final class SpoolDelivery {
  // Logs as SpoolSender, as before the cut, so the log lines read the same.
  private static final Logger LOG = LoggerFactory.getLogger(SpoolSender.class);

  private final Spool spool;
  private final MlflowGateway gateway;
  private final Map<String, TrackedRun> runs;
  private long singlesThrough;
  private int refused;

  SpoolDelivery(Spool spool, MlflowGateway gateway, Map<String, TrackedRun> runs) {
    this.spool = spool;
    this.gateway = gateway;
    this.runs = runs;
  }

  /** Operations up to this one go one by one: a batch holding them was refused. */
  long singlesThrough() {
    return singlesThrough;
  }

  /** How many operations the server refused for good so far. */
  int refused() {
    return refused;
  }

  /**
   * Sends the operation(s) at the head of the queue.
   *
   * @return the last sequence number done (sent, or refused for good), or 0 when nothing is done
   *     yet but the loop should go on at once
   */
  long sendHead(List<SpoolOp> window) throws CallFailed, IOException {
    SpoolOp head = window.get(0);
    try {
      return switch (head) {
        case SpoolOp.StartRun start -> {
          start(start);
          yield start.seq();
        }
        case SpoolOp.EndRun end -> {
          end(end);
          yield end.seq();
        }
        case SpoolOp.UploadArtifact upload -> {
          upload(upload);
          yield upload.seq();
        }
        default -> {
          List<SpoolOp> batch =
              LogBatchPlanner.next(
                  window, head.seq() <= singlesThrough ? 1 : LogBatchPlanner.MAX_ITEMS);
          try {
            sendBatch(batch);
          } catch (CallFailed e) {
            if (e.permanent() && batch.size() > 1) {
              LOG.warn(
                  "MLflow refused a batch of {} operations ({}); sending them one by one",
                  batch.size(),
                  e.getMessage());
              singlesThrough = batch.get(batch.size() - 1).seq();
              yield 0;
            }
            throw e;
          }
          yield batch.get(batch.size() - 1).seq();
        }
      };
    } catch (UnboundRun e) {
      refused++;
      LOG.error("MLflow tracking: {}; dropped {}", e.getMessage(), describe(head));
      return head.seq();
    } catch (CallFailed e) {
      if (!e.permanent()) {
        throw e;
      }
      refused++;
      LOG.error("MLflow refused {}: {}; dropped", describe(head), e.getMessage());
      if (head instanceof SpoolOp.StartRun start) {
        spool.refuse(start.run());
        TrackedRun run = runs.remove(start.run());
        if (run != null) {
          run.refused();
        }
      }
      return head.seq();
    }
  }

  private static String describe(SpoolOp op) {
    return switch (op) {
      case SpoolOp.StartRun s -> "the start of run '" + s.runName() + "'";
      case SpoolOp.LogMetric m ->
          "metric " + m.key() + "=" + m.value() + " (step " + m.step() + ")";
      case SpoolOp.LogParam p -> "param " + p.key() + "=" + p.value();
      case SpoolOp.SetTag t -> "tag " + t.key() + "=" + t.value();
      case SpoolOp.UploadArtifact u -> "artifact " + u.path();
      case SpoolOp.EndRun e -> "the end (" + e.status() + ") of run " + e.run();
    };
  }

  /** An operation whose run has no server id: its start was refused or never journalled. */
  private static final class UnboundRun extends Exception {
    UnboundRun(String message) {
      super(message);
    }
  }

  private Spool.Binding binding(String run) throws UnboundRun {
    Optional<Spool.Binding> binding = spool.binding(run);
    if (binding.isPresent()) {
      return binding.get();
    }
    throw new UnboundRun(
        spool.refused(run)
            ? "the server refused to create run " + run
            : "run " + run + " was never started with this spool");
  }

  private void start(SpoolOp.StartRun start) throws CallFailed, IOException {
    String experimentId = gateway.experimentId(start.experiment());
    String parentId = null;
    if (start.parentRun() != null) {
      Optional<Spool.Binding> parent = spool.binding(start.parentRun());
      if (parent.isPresent()) {
        parentId = parent.get().serverId();
      } else {
        LOG.warn(
            "MLflow tracking: the parent of run '{}' is not on the server (refused or untracked);"
                + " creating it as a top-level run",
            start.runName());
      }
    }
    Spool.Binding binding = null;
    if (spool.uncertain(start.seq())) {
      binding = gateway.findRun(experimentId, start.run()).orElse(null);
    }
    spool.inflight(start.seq());
    if (binding == null) {
      binding = gateway.createRun(experimentId, start, parentId);
    }
    spool.bind(start.run(), binding);
    TrackedRun run = runs.get(start.run());
    if (run != null) {
      run.bind(binding.serverId());
    }
  }

  private void end(SpoolOp.EndRun end) throws CallFailed, IOException, UnboundRun {
    String runId = binding(end.run()).serverId();
    spool.inflight(end.seq());
    gateway.setTerminated(runId, end.status(), end.endTime());
    runs.remove(end.run());
  }

  private void upload(SpoolOp.UploadArtifact upload) throws CallFailed, IOException, UnboundRun {
    Spool.Binding binding = binding(upload.run());
    String artifactUri = binding.artifactUri();
    if (artifactUri == null) {
      artifactUri = gateway.artifactUri(binding.serverId());
      spool.bind(upload.run(), new Spool.Binding(binding.serverId(), artifactUri));
    }
    spool.inflight(upload.seq());
    gateway.uploadArtifact(
        artifactUri, upload.path(), spool.artifactsDir().resolve(upload.spooledFile()));
  }

  private void sendBatch(List<SpoolOp> batch) throws CallFailed, IOException, UnboundRun {
    String runId = binding(batch.get(0).run()).serverId();
    List<SpoolOp.LogMetric> metrics = new ArrayList<>();
    List<Service.Param> params = new ArrayList<>();
    List<Service.RunTag> tags = new ArrayList<>();
    for (SpoolOp op : batch) {
      switch (op) {
        case SpoolOp.LogMetric m -> metrics.add(m);
        case SpoolOp.LogParam p ->
            params.add(Service.Param.newBuilder().setKey(p.key()).setValue(p.value()).build());
        case SpoolOp.SetTag t ->
            tags.add(Service.RunTag.newBuilder().setKey(t.key()).setValue(t.value()).build());
        default -> throw new IllegalStateException("not batchable: " + op);
      }
    }
    metrics = withoutDelivered(runId, metrics);
    spool.inflight(batch.get(batch.size() - 1).seq());
    if (metrics.isEmpty() && params.isEmpty() && tags.isEmpty()) {
      return;
    }
    List<Service.Metric> protoMetrics = new ArrayList<>(metrics.size());
    for (SpoolOp.LogMetric m : metrics) {
      protoMetrics.add(
          Service.Metric.newBuilder()
              .setKey(m.key())
              .setValue(m.value())
              .setStep(m.step())
              .setTimestamp(m.timestamp())
              .build());
    }
    gateway.logBatch(runId, protoMetrics, params, tags);
  }

  /** The metrics minus the uncertain ones that the server's history already has. */
  private List<SpoolOp.LogMetric> withoutDelivered(String runId, List<SpoolOp.LogMetric> metrics)
      throws CallFailed {
    Map<String, List<Service.Metric>> histories = new HashMap<>();
    List<SpoolOp.LogMetric> out = new ArrayList<>(metrics.size());
    int skipped = 0;
    for (SpoolOp.LogMetric m : metrics) {
      if (spool.uncertain(m.seq())) {
        List<Service.Metric> history = histories.get(m.key());
        if (history == null) {
          history = gateway.metricHistory(runId, m.key());
          histories.put(m.key(), history);
        }
        if (history.stream().anyMatch(h -> samePoint(h, m))) {
          skipped++;
          continue;
        }
      }
      out.add(m);
    }
    if (skipped > 0) {
      LOG.info(
          "MLflow already had {} of the metric points whose acknowledgement was lost; not sending"
              + " them again",
          skipped);
    }
    return out;
  }

  private static boolean samePoint(Service.Metric h, SpoolOp.LogMetric m) {
    return h.getStep() == m.step()
        && h.getTimestamp() == m.timestamp()
        && Double.compare(h.getValue(), m.value()) == 0;
  }
}
