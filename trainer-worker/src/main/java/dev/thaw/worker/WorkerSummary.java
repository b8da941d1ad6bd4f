package dev.thaw.worker;

import java.util.EnumMap;
import java.util.Map;

/**
 * What a worker did before it exited.
 *
 * @param exit why it exited
 * @param outcomes how many leased trials ended each way
 */
public record WorkerSummary(Exit exit, Map<TrialOutcome, Integer> outcomes) {
  /** Why a worker exits. */
  public enum Exit {
    /** It ran its maximum number of trials. */
    MAX_TRIALS,
    /** No trial came for its idle timeout. */
    IDLE,
    /** It was told to stop. */
    STOPPED;

    /** For people: "max trials reached", "idle", "stopped". */
    public String describe() {
      return switch (this) {
        case MAX_TRIALS -> "max trials reached";
        case IDLE -> "idle timeout reached";
        case STOPPED -> "stopped";
      };
    }
  }

  public WorkerSummary {
    Map<TrialOutcome, Integer> all = new EnumMap<>(TrialOutcome.class);
    for (TrialOutcome o : TrialOutcome.values()) {
      all.put(o, outcomes.getOrDefault(o, 0));
    }
    outcomes = Map.copyOf(all);
  }

  /** Trials that ended with {@code outcome}. */
  public int count(TrialOutcome outcome) {
    return outcomes.get(outcome);
  }

  /** Every leased trial. */
  public int trials() {
    return outcomes.values().stream().mapToInt(Integer::intValue).sum();
  }
}
