package dev.thaw.orchestrator.leases;

import dev.thaw.protocol.Heartbeat;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialResult;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Checks what a worker reports on a lease against the lease's {@link LeaseTerms} before anything is
 * stored: a result must be the leased trial's (its id and spec hash), run no more epochs than the
 * spec plans, and every figure must be a number in its range.
 *
 * <p>NaN is accepted wherever a measurement is: a diverged trial reports NaN losses and has no best
 * value, and the store keeps NaN as "no value". Losses may be {@code +Infinity} (a loss that
 * overflowed); accuracies lie in [0, 1]; times and throughputs are finite and not negative.
 */
final class ReportCheck {
  private static final Logger LOG = Logger.getLogger(ReportCheck.class);

  private ReportCheck() {}

  /**
   * Refuses a report with problems, before anything is stored.
   *
   * @param what what was reported, e.g. {@code heartbeat} or {@code result}
   * @param problems the report's problems ({@link #ofResult}, {@link #ofEpochs}); none refuses
   *     nothing
   * @throws InvalidReportException when there are problems, after logging them
   */
  static void refuseUnfit(String leaseId, String what, List<String> problems) {
    if (!problems.isEmpty()) {
      LOG.warnf("lease %s: %s refused: %s", leaseId, what, String.join("; ", problems));
      throw new InvalidReportException(leaseId, what, problems);
    }
  }

  /**
   * Problems of a result, each naming its field; empty when the result can be stored.
   *
   * @param terms what the lease was for
   */
  static List<String> ofResult(LeaseTerms terms, TrialResult r) {
    List<String> problems = new ArrayList<>();
    if (!terms.trialId().equals(r.trialId())) {
      problems.add(
          "trial_id: '" + r.trialId() + "' is not the leased trial '" + terms.trialId() + "'");
    }
    if (!terms.specHash().equals(r.configHash())) {
      problems.add(
          "config_hash: '"
              + r.configHash()
              + "' is not the hash of the leased trial's spec ('"
              + terms.specHash()
              + "')");
    }
    if (r.monitor() == null) {
      problems.add("monitor: is required");
    }
    int planned = terms.plannedEpochs();
    if (r.epochsRun() < 0 || r.epochsRun() > planned) {
      problems.add(
          "epochs_run: must be in [0, "
              + planned
              + "], the epochs the spec plans (got "
              + r.epochsRun()
              + ")");
    }
    if (r.bestEpoch() < 0 || r.bestEpoch() > Math.max(0, Math.min(r.epochsRun(), planned))) {
      problems.add(
          "best_epoch: must be in [0, epochs_run] (got "
              + r.bestEpoch()
              + ", epochs_run "
              + r.epochsRun()
              + ")");
    }
    if (r.monitor() != null) {
      switch (r.monitor()) {
        case VAL_ACCURACY -> fraction(problems, "best_value", r.bestValue());
        case TRAIN_LOSS, VAL_LOSS -> loss(problems, "best_value", r.bestValue());
      }
    }
    loss(problems, "final_val_loss", r.finalValLoss());
    fraction(problems, "final_val_accuracy", r.finalValAccuracy());
    duration(problems, "wall_seconds", r.wallSeconds());
    if (r.trainExamples() < 0) {
      problems.add("train_examples: must be >= 0 (got " + r.trainExamples() + ")");
    }
    if (r.validationExamples() < 0) {
      problems.add("validation_examples: must be >= 0 (got " + r.validationExamples() + ")");
    }
    if (r.groupLearningRates() != null) {
      for (int i = 0; i < r.groupLearningRates().size(); i++) {
        Double lr = r.groupLearningRates().get(i);
        if (lr == null || !Double.isFinite(lr) || lr < 0) {
          problems.add(
              "group_learning_rates[" + i + "]: must be a finite number >= 0 (got " + lr + ")");
        }
      }
    }
    List<EpochMetrics> epochs = r.epochs() == null ? List.of() : r.epochs();
    if (epochs.size() > planned) {
      problems.add("epochs: " + epochs.size() + " epochs reported, the spec plans " + planned);
    }
    problems.addAll(ofEpochs(terms, epochs, "epochs"));
    return problems;
  }

  /**
   * Problems of epoch figures (a heartbeat's or a result's), each naming its field; empty when they
   * can be stored.
   *
   * @param field the name of the list in the report, e.g. {@code epochs}
   */
  static List<String> ofEpochs(LeaseTerms terms, List<EpochMetrics> epochs, String field) {
    List<String> problems = new ArrayList<>();
    int previous = 0;
    for (int i = 0; i < epochs.size(); i++) {
      EpochMetrics e = epochs.get(i);
      String at = field + "[" + i + "]";
      if (e == null) {
        problems.add(at + ": is null");
        continue;
      }
      if (e.epoch() < 1 || e.epoch() > terms.plannedEpochs()) {
        problems.add(
            at
                + ".epoch: must be in [1, "
                + terms.plannedEpochs()
                + "], the epochs the spec plans (got "
                + e.epoch()
                + ")");
      } else if (e.epoch() <= previous) {
        problems.add(
            at
                + ".epoch: epochs must be in increasing order (got "
                + e.epoch()
                + " after "
                + previous
                + ")");
      }
      previous = Math.max(previous, e.epoch());
      if (e.stage() == null) {
        problems.add(at + ".stage: is required");
      }
      loss(problems, at + ".train_loss", e.trainLoss());
      loss(problems, at + ".val_loss", e.valLoss());
      fraction(problems, at + ".val_accuracy", e.valAccuracy());
      duration(problems, at + ".epoch_seconds", e.epochSeconds());
      duration(problems, at + ".samples_per_second", e.samplesPerSecond());
    }
    return problems;
  }

  /**
   * Problems of the worker's own figures a heartbeat may bring (all optional), each naming its
   * field: finite and {@code >= 0}, and no more cache hits than lookups.
   */
  static List<String> ofWorkerFigures(Heartbeat beat) {
    List<String> problems = new ArrayList<>();
    figure(problems, "epoch_seconds", beat.epochSeconds());
    figure(problems, "samples_per_second", beat.samplesPerSecond());
    count(problems, "feature_cache_hits", beat.featureCacheHits());
    count(problems, "feature_cache_lookups", beat.featureCacheLookups());
    if (beat.featureCacheHits() != null
        && beat.featureCacheLookups() != null
        && beat.featureCacheHits() > beat.featureCacheLookups()) {
      problems.add(
          "feature_cache_hits: must be <= feature_cache_lookups (got "
              + beat.featureCacheHits()
              + " > "
              + beat.featureCacheLookups()
              + ")");
    }
    return problems;
  }

  private static void figure(List<String> problems, String field, Double v) {
    if (v != null && !(Double.isFinite(v) && v >= 0)) {
      problems.add(field + ": must be a finite number >= 0 (got " + v + ")");
    }
  }

  private static void count(List<String> problems, String field, Long v) {
    if (v != null && v < 0) {
      problems.add(field + ": must be >= 0 (got " + v + ")");
    }
  }

  private static void loss(List<String> problems, String field, double v) {
    if (!Double.isNaN(v) && !(v >= 0)) {
      problems.add(field + ": must be >= 0 or NaN (got " + v + ")");
    }
  }

  private static void fraction(List<String> problems, String field, double v) {
    if (!Double.isNaN(v) && !(v >= 0 && v <= 1)) {
      problems.add(field + ": must be in [0, 1] or NaN (got " + v + ")");
    }
  }

  private static void duration(List<String> problems, String field, double v) {
    if (!Double.isNaN(v) && !(Double.isFinite(v) && v >= 0)) {
      problems.add(field + ": must be a finite number >= 0 or NaN (got " + v + ")");
    }
  }
}
