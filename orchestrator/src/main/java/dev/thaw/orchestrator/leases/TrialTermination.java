package dev.thaw.orchestrator.leases;

import dev.thaw.orchestrator.store.MetricRepository;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.Objectives;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.sweep.termination.Decision;
import dev.thaw.sweep.termination.NoTermination;
import dev.thaw.sweep.termination.TerminationRule;
import dev.thaw.sweep.termination.TerminationRules;
import dev.thaw.sweep.termination.TrialProgress;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.Metric;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks the sweep's early-termination rule ({@code early_termination}) whether a running trial
 * should stop, from the stored epoch metrics of every trial's current attempt.
 */
@ApplicationScoped
public class TrialTermination {
  private final TrialRepository trials;
  private final MetricRepository metrics;
  private final SweepService sweeps;

  TrialTermination(TrialRepository trials, MetricRepository metrics, SweepService sweeps) {
    this.trials = trials;
    this.metrics = metrics;
    this.sweeps = sweeps;
  }

  /**
   * The reason to prune {@code trialId}, or empty to let it go on.
   *
   * @param firstNewEpoch the first epoch this heartbeat brought (each new epoch is judged)
   */
  public Optional<String> shouldPrune(SweepRecord sweep, String trialId, int firstNewEpoch) {
    TerminationRule rule = TerminationRules.of(sweeps.spec(sweep).earlyTermination());
    if (rule instanceof NoTermination) {
      return Optional.empty();
    }
    Metric metric = Metric.parse(sweep.objectiveMetric());
    Map<String, List<EpochMetrics>> histories = metrics.currentOfSweep(sweep.id());
    List<TrialProgress> all = new ArrayList<>();
    TrialProgress self = null;
    for (TrialRecord t : trials.ofSweep(sweep.id())) {
      TrialProgress.State state =
          switch (t.state()) {
            case RUNNING -> TrialProgress.State.RUNNING;
            case COMPLETED -> TrialProgress.State.COMPLETED;
            case PRUNED -> TrialProgress.State.PRUNED;
            default -> null;
          };
      if (state == null) {
        continue;
      }
      List<Double> values = new ArrayList<>();
      for (EpochMetrics e : histories.getOrDefault(t.id(), List.of())) {
        values.add(Objectives.oriented(metric.of(e), sweep.maximize()));
      }
      TrialProgress p = new TrialProgress(t.id(), t.number(), values, state);
      all.add(p);
      if (t.id().equals(trialId)) {
        self = p;
      }
    }
    if (self == null || self.state() != TrialProgress.State.RUNNING) {
      return Optional.empty();
    }
    Decision d = rule.decideFrom(firstNewEpoch, self, all);
    return d.stop() ? Optional.of(d.reason()) : Optional.empty();
  }
}
