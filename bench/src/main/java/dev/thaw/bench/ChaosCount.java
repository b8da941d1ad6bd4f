package dev.thaw.bench;

import dev.thaw.bench.ChaosRecords.Attempt;
import dev.thaw.bench.ChaosRecords.Epoch;
import dev.thaw.bench.ChaosRecords.Run;
import dev.thaw.bench.ChaosRecords.Trial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The chaos benchmark's arithmetic: from what the store and MLflow hold after the sweep, how many
 * grid points were lost, how many results or runs were duplicated, how many retries were used and
 * how many per-epoch MLflow metrics are missing. Definitions:
 *
 * <ul>
 *   <li><b>lost</b>: grid points (0 .. expected - 1) without a trial that is {@code COMPLETED} with
 *       a stored result of at least one epoch: never created, still queued or running, failed,
 *       cancelled, or completed without a result.
 *   <li><b>duplicated results</b> (store): per trial, {@code COMPLETED} attempts beyond the first
 *       (a second accepted report), plus per grid point, trial rows beyond the first (a point
 *       proposed again after the restart).
 *   <li><b>duplicated runs</b> (MLflow): per attempt (lease id), child runs beyond the first (a run
 *       created twice, e.g. by a spool sending its start again), plus per trial, attempts with a
 *       {@code FINISHED} run beyond the first (two attempts both claiming to be the trial's
 *       result).
 *   <li><b>retries used</b>: attempts that ended {@code EXPIRED} (killed worker, lease ran out) or
 *       {@code FAILED}; attempts handed back by a stopping worker are counted apart, they use no
 *       retry.
 *   <li><b>metrics missing</b>: for each completed trial, each epoch of its stored result and each
 *       metric key with a finite value there, a point at step = epoch absent from the child run of
 *       its completed attempt (all of them when there is no such run).
 *   <li><b>runs left running</b>: child runs still {@code RUNNING} in MLflow whose attempt has
 *       ended in the store (a killed worker's run that nobody marked {@code FAILED}); reported, not
 *       part of the headline.
 * </ul>
 *
 * The headline is {@link Tally#lostOrDuplicated()}: lost + duplicated results + duplicated runs.
 */
final class ChaosCount {
  private ChaosCount() {}

  /** The counts, with the breakdowns the table prints. */
  record Tally(
      int expected,
      int completed,
      int lost,
      Map<String, Integer> lostBy,
      int duplicatedResults,
      int duplicatedTrials,
      int duplicatedRunsPerAttempt,
      int duplicatedFinishedRuns,
      int retriesUsed,
      Map<String, Integer> attemptsBy,
      Map<String, Integer> runsBy,
      int metricPointsExpected,
      int metricsMissing,
      int runsMissing,
      int runsLeftRunning,
      List<String> findings) {
    int duplicated() {
      return duplicatedResults
          + duplicatedTrials
          + duplicatedRunsPerAttempt
          + duplicatedFinishedRuns;
    }

    int lostOrDuplicated() {
      return lost + duplicated();
    }
  }

  static Tally of(int expected, List<Trial> trials, List<Attempt> attempts, List<Run> runs) {
    Map<Integer, List<Trial>> byPoint =
        trials.stream().collect(Collectors.groupingBy(Trial::gridIndex));
    List<String> findings = new ArrayList<>();
    Map<String, Integer> lostBy = new TreeMap<>();
    int completed = 0;
    for (int point = 0; point < expected; point++) {
      List<Trial> at = byPoint.getOrDefault(point, List.of());
      if (at.stream().anyMatch(Trial::completedWithResult)) {
        completed++;
      } else {
        lostBy.merge(lostReason(at), 1, Integer::sum);
        findings.add(
            "lost: grid point "
                + point
                + " "
                + lostReason(at)
                + " "
                + at.stream().map(t -> t.id() + " " + t.state()).toList());
      }
    }
    int lost = expected - completed;
    int duplicatedTrials = 0;
    for (List<Trial> at : byPoint.values()) {
      duplicatedTrials += Math.max(0, at.size() - 1);
      if (at.size() > 1) {
        findings.add(
            "duplicated: grid point "
                + at.get(0).gridIndex()
                + " has trials "
                + at.stream().map(t -> t.id() + " " + t.state()).toList());
      }
    }

    Map<String, Integer> attemptsBy = new TreeMap<>();
    Map<String, Integer> completedAttempts = new HashMap<>();
    Map<String, Attempt> completingAttempt = new HashMap<>();
    for (Attempt a : attempts) {
      attemptsBy.merge(a.state(), 1, Integer::sum);
      if ("COMPLETED".equals(a.state())) {
        completedAttempts.merge(a.trialId(), 1, Integer::sum);
        completingAttempt.putIfAbsent(a.trialId(), a);
      }
    }
    int duplicatedResults = 0;
    for (Map.Entry<String, Integer> e : completedAttempts.entrySet()) {
      duplicatedResults += Math.max(0, e.getValue() - 1);
      if (e.getValue() > 1) {
        findings.add(
            "duplicated: trial "
                + e.getKey()
                + " has "
                + e.getValue()
                + " completed attempts "
                + attemptsOf(attempts, e.getKey()));
      }
    }
    int retriesUsed = attemptsBy.getOrDefault("EXPIRED", 0) + attemptsBy.getOrDefault("FAILED", 0);

    Map<String, Integer> runsBy = new TreeMap<>();
    Map<String, List<Run>> runsByLease = new HashMap<>();
    Map<String, Set<String>> finishedLeasesByTrial = new HashMap<>();
    for (Run r : runs) {
      runsBy.merge(r.status(), 1, Integer::sum);
      runsByLease.computeIfAbsent(r.leaseId(), k -> new ArrayList<>()).add(r);
      if (r.finished()) {
        finishedLeasesByTrial.computeIfAbsent(r.trialId(), k -> new HashSet<>()).add(r.leaseId());
      }
    }
    int duplicatedRunsPerAttempt = 0;
    for (List<Run> perLease : runsByLease.values()) {
      duplicatedRunsPerAttempt += Math.max(0, perLease.size() - 1);
      if (perLease.size() > 1) {
        findings.add(
            "duplicated: attempt "
                + perLease.get(0).leaseId()
                + " has MLflow runs "
                + perLease.stream().map(r -> r.runId() + " " + r.status()).toList());
      }
    }
    int duplicatedFinishedRuns = 0;
    for (Map.Entry<String, Set<String>> e : finishedLeasesByTrial.entrySet()) {
      duplicatedFinishedRuns += Math.max(0, e.getValue().size() - 1);
      if (e.getValue().size() > 1) {
        findings.add(
            "duplicated: trial "
                + e.getKey()
                + " has FINISHED MLflow runs from "
                + e.getValue().size()
                + " attempts (leases "
                + e.getValue().stream().sorted().toList()
                + "); its attempts "
                + attemptsOf(attempts, e.getKey()));
      }
    }

    Map<String, Attempt> attemptByLease = new HashMap<>();
    attempts.forEach(a -> attemptByLease.put(a.leaseId(), a));
    int leftRunning = 0;
    for (Run r : runs) {
      Attempt a = attemptByLease.get(r.leaseId());
      if ("RUNNING".equals(r.status()) && (a == null || !"ACTIVE".equals(a.state()))) {
        leftRunning++;
        findings.add(
            "left running: MLflow run "
                + r.runId()
                + " of attempt "
                + (a == null ? r.leaseId() + " (not in the store)" : a.number() + " " + a.state())
                + " of trial "
                + r.trialId());
      }
    }

    int pointsExpected = 0;
    int missing = 0;
    int runsMissing = 0;
    for (Trial t : trials) {
      if (!t.completedWithResult()) {
        continue;
      }
      Attempt done = completingAttempt.get(t.id());
      List<Run> attemptRuns =
          done == null ? List.of() : runsByLease.getOrDefault(done.leaseId(), List.of());
      if (attemptRuns.isEmpty()) {
        runsMissing++;
      }
      for (Epoch e : t.epochs()) {
        for (String key : e.keys()) {
          pointsExpected++;
          boolean logged =
              attemptRuns.stream()
                  .anyMatch(r -> r.steps().getOrDefault(key, Set.of()).contains(e.epoch()));
          if (!logged) {
            missing++;
          }
        }
      }
    }
    return new Tally(
        expected,
        completed,
        lost,
        lostBy,
        duplicatedResults,
        duplicatedTrials,
        duplicatedRunsPerAttempt,
        duplicatedFinishedRuns,
        retriesUsed,
        attemptsBy,
        runsBy,
        pointsExpected,
        missing,
        runsMissing,
        leftRunning,
        List.copyOf(findings));
  }

  private static List<String> attemptsOf(List<Attempt> attempts, String trialId) {
    return attempts.stream()
        .filter(a -> a.trialId().equals(trialId))
        .map(
            a ->
                "#"
                    + a.number()
                    + " "
                    + a.state()
                    + " lease "
                    + a.leaseId()
                    + " on "
                    + a.workerId())
        .toList();
  }

  /** Why a grid point has no completed trial: the state of its (latest) trial, or "not created". */
  private static String lostReason(List<Trial> at) {
    if (at.isEmpty()) {
      return "not created";
    }
    Trial last = at.get(at.size() - 1);
    if ("COMPLETED".equals(last.state())) {
      return "completed without a result";
    }
    return last.state().toLowerCase(java.util.Locale.ROOT);
  }
}
