package dev.thaw.api;

import java.util.List;

/** A sweep and every trial, in creation order. */
public record SweepDetail(SweepSummary sweep, List<TrialView> trials) {
  public SweepDetail {
    trials = trials == null ? List.of() : List.copyOf(trials);
  }
}
