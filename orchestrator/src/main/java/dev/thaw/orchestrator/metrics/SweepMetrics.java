package dev.thaw.orchestrator.metrics;

import dev.thaw.api.TrialState;
import dev.thaw.orchestrator.store.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Sweeps and the queue, read from the store every {@link MetricsSettings#refresh()} (so every
 * orchestrator process on one store shows the same): trials by state per sweep, each sweep's best
 * objective so far, queued trials, running sweeps.
 *
 * <p>Bounded: the {@code sweep} label is given to the running sweeps and to those ended within
 * {@link MetricsSettings#endedSweepsFor()}, at most {@link MetricsSettings#maxSweeps()} of them
 * (running first, newest first); a sweep that drops out loses its series at the next refresh. Queue
 * depth and running sweeps count every sweep.
 */
@Startup
@ApplicationScoped
public class SweepMetrics {
  private static final Logger LOG = Logger.getLogger(SweepMetrics.class);

  private final Database db;
  private final MetricsSettings settings;
  private final MultiGauge trials;
  private final MultiGauge best;
  private volatile double queued;
  private volatile double running;

  /** One labelled sweep. */
  private record Sweep(String id, String name, String metric, boolean maximize) {}

  SweepMetrics(Database db, MetricsSettings settings, MeterRegistry registry) {
    this.db = db;
    this.settings = settings;
    trials =
        MultiGauge.builder("thaw.sweep.trials")
            .description("Trials of a sweep by state (running and recently ended sweeps)")
            .register(registry);
    best =
        MultiGauge.builder("thaw.sweep.best.objective")
            .description("Best value of a sweep's objective metric so far")
            .register(registry);
    Gauge.builder("thaw.trials.queued", this, m -> m.queued)
        .description("Queued trials of running sweeps: the queue depth")
        .register(registry);
    Gauge.builder("thaw.sweeps.running", this, m -> m.running)
        .description("Sweeps running")
        .register(registry);
  }

  /** Reads the figures again. */
  @Scheduled(
      every = "${thaw.metrics.refresh:5s}",
      executeWith = Scheduled.SIMPLE,
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    try {
      QuarkusTransaction.requiringNew().run(this::read);
    } catch (RuntimeException e) {
      LOG.warnf("metrics: could not read the store: %s", e.toString());
    }
  }

  private void read() {
    queued =
        db.count(
            "SELECT COUNT(*) FROM trial t JOIN sweep s ON s.id = t.sweep_id"
                + " WHERE t.state = 'QUEUED' AND s.state = 'RUNNING'");
    running = db.count("SELECT COUNT(*) FROM sweep WHERE state = 'RUNNING'");
    int max = Math.max(0, settings.maxSweeps());
    List<Sweep> shown =
        new ArrayList<>(
            db.query(
                "SELECT id, name, objective_metric, objective_goal FROM sweep"
                    + " WHERE state = 'RUNNING' ORDER BY created_at DESC LIMIT ?",
                rs -> sweep(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                max));
    if (shown.size() < max) {
      long since = System.currentTimeMillis() - settings.endedSweepsFor().toMillis();
      shown.addAll(
          db.query(
              "SELECT id, name, objective_metric, objective_goal FROM sweep"
                  + " WHERE state <> 'RUNNING' AND finished_at >= ?"
                  + " ORDER BY finished_at DESC LIMIT ?",
              rs -> sweep(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
              since,
              max - shown.size()));
    }
    List<MultiGauge.Row<?>> trialRows = new ArrayList<>();
    List<MultiGauge.Row<?>> bestRows = new ArrayList<>();
    for (Sweep s : shown) {
      Map<TrialState, Long> counts = new EnumMap<>(TrialState.class);
      for (TrialState state : TrialState.values()) {
        counts.put(state, 0L);
      }
      db.query(
              "SELECT state, COUNT(*) FROM trial WHERE sweep_id = ? GROUP BY state",
              rs -> Map.entry(TrialState.valueOf(rs.getString(1)), rs.getLong(2)),
              s.id())
          .forEach(e -> counts.put(e.getKey(), e.getValue()));
      Tags tags = Tags.of("sweep", s.name(), "sweep_id", s.id());
      counts.forEach(
          (state, n) ->
              trialRows.add(
                  MultiGauge.Row.of(tags.and("state", state.name().toLowerCase(Locale.ROOT)), n)));
      String agg = s.maximize() ? "MAX" : "MIN";
      // A row with no value (no trial has an objective yet) gives no series.
      db.query(
              "SELECT " + agg + "(objective) FROM trial WHERE sweep_id = ?",
              rs -> Optional.ofNullable(Database.doubleOrNull(rs, 1)),
              s.id())
          .forEach(
              v ->
                  v.ifPresent(
                      x -> bestRows.add(MultiGauge.Row.of(tags.and("metric", s.metric()), x))));
    }
    trials.register(trialRows, true);
    best.register(bestRows, true);
  }

  private static Sweep sweep(String id, String name, String metric, String goal) {
    return new Sweep(id, name, metric, "maximize".equalsIgnoreCase(goal));
  }
}
