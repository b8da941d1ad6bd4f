package dev.thaw.sweep;

import dev.thaw.sweep.search.SearchMethod;
import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.SearchSpace;
import dev.thaw.trial.EarlyStoppingSpec;
import dev.thaw.trial.Metric;
import dev.thaw.trial.ParameterName;
import dev.thaw.trial.TargetSpec;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep file, typed, with defaults applied ({@link SweepLoader}); {@link SweepValidator} says
 * whether it can run. See {@code sweep-configs/README.md} for every key.
 *
 * @param name sweep name, {@code [a-z0-9][a-z0-9-_.]*}
 * @param description free text, or null
 * @param objective the metric to optimise
 * @param method how points are chosen
 * @param parameters how each trial hyperparameter is set or searched
 * @param maxTrials trials to run at most (default for grid: the grid size); null only when invalid
 * @param parallelTrials trials running at once (default 1)
 * @param maxFailedTrials the sweep stops (FAILED) when this many trials have failed (default 3)
 * @param retries times a failed trial is retried (default 1)
 * @param seed seeds the search; the trial from proposal i trains with seed + i (default 0)
 * @param earlyStopping early stopping within each trial, or null for none
 * @param earlyTermination stopping rule across trials (default none)
 * @param schedule when the sweep runs again, or null for once
 * @param mlflow where results are tracked
 * @param task the source model and target data every trial shares
 */
public record SweepSpec(
    String name,
    String description,
    Objective objective,
    SearchMethod method,
    Map<ParameterName, ParameterSpec> parameters,
    Integer maxTrials,
    int parallelTrials,
    int maxFailedTrials,
    int retries,
    long seed,
    EarlyStoppingSpec earlyStopping,
    EarlyTerminationSpec earlyTermination,
    Schedule schedule,
    Mlflow mlflow,
    Task task) {

  public SweepSpec {
    EnumMap<ParameterName, ParameterSpec> copy = new EnumMap<>(ParameterName.class);
    copy.putAll(parameters);
    parameters = Collections.unmodifiableMap(copy);
  }

  /**
   * The search space: one dimension per searched or fixed value, by path ({@code dropout}, {@code
   * lr_backbone.slice.lo}, ...); fixed forms become {@link Domain.Fixed}.
   */
  public SearchSpace searchSpace() {
    Map<String, Domain> dimensions = new TreeMap<>();
    parameters.forEach((name, spec) -> spec.addDimensions(name.key(), dimensions));
    return new SearchSpace(dimensions);
  }

  /**
   * What the sweep optimises.
   *
   * @param metric the trial metric (each trial reports its best epoch's value)
   * @param goal minimise or maximise (default: the metric's direction)
   * @param target a value that ends the sweep once a trial reaches it, or null
   */
  public record Objective(Metric metric, Goal goal, Double target) {}

  /** Direction of the objective. */
  public enum Goal {
    MINIMIZE,
    MAXIMIZE;

    /** The name in sweep files. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The natural goal of a metric. */
    public static Goal of(Metric metric) {
      return metric.naturalMode() == Metric.Mode.MIN ? MINIMIZE : MAXIMIZE;
    }
  }

  /**
   * When a sweep runs again, and how each run (an execution) relates to the previous one.
   *
   * @param cron a Quartz cron expression (6 or 7 fields: seconds first)
   * @param timeZone an IANA time-zone id (default UTC)
   * @param overlap what a firing does while the previous execution still runs (default skip)
   * @param warmStart how many of the previous execution's best configurations the new execution
   *     runs first (default 3; 0: none)
   * @param regressionThreshold how far the best objective may get worse than the previous
   *     execution's before the execution is flagged as a regression, in the objective's units
   *     (default 0.01)
   */
  public record Schedule(
      String cron, String timeZone, Overlap overlap, int warmStart, double regressionThreshold) {
    /** Default {@code warm_start}. */
    public static final int DEFAULT_WARM_START = 3;

    /** Default {@code regression_threshold}. */
    public static final double DEFAULT_REGRESSION_THRESHOLD = 0.01;

    /** A schedule with the default overlap policy, warm start and regression threshold. */
    public Schedule(String cron, String timeZone) {
      this(cron, timeZone, Overlap.SKIP, DEFAULT_WARM_START, DEFAULT_REGRESSION_THRESHOLD);
    }
  }

  /** What a schedule's firing does while its previous execution is still running. */
  public enum Overlap {
    /** Start nothing; the firing is recorded as skipped. */
    SKIP,
    /** Start the new execution once the previous one has ended. */
    QUEUE,
    /** Cancel the previous execution, then start the new one. */
    CANCEL;

    /** The name in sweep files. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * MLflow tracking.
   *
   * @param experiment experiment name (default: the sweep's name)
   * @param trackingUri tracking server, or null for the orchestrator's default
   */
  public record Mlflow(String experiment, String trackingUri) {}

  /**
   * What every trial fine-tunes.
   *
   * @param sourceModel the pretrained model, as in a trial spec's {@code source_model}
   * @param target the target data and its split
   */
  public record Task(String sourceModel, TargetSpec target) {}
}
