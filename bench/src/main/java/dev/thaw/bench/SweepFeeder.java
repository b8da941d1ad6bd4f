package dev.thaw.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps the orchestrator's queue full for one configuration: submits grid sweeps of a fixed size so
 * that at least {@value #AHEAD} sweeps' worth of trials is always queued ahead of the workers, then
 * cancels them all at the end. At over 1,000 leases a second a 1,000-trial sweep lasts less than a
 * second, about as long as submitting the next one takes, hence several sweeps ahead. A fixed sweep
 * size keeps the work per trial that may depend on its sweep's size the same whatever the rate.
 */
final class SweepFeeder {
  /** Sweeps' worth of trials kept queued ahead of the workers. */
  static final int AHEAD = 3;

  private final OrchestratorClient admin;
  private final String namePrefix;
  private final int trialsPerSweep;
  private final LongAdder leased = new LongAdder();
  private final List<String> sweepIds = new ArrayList<>();
  private long queuedTotal;

  SweepFeeder(OrchestratorClient admin, String namePrefix, int trialsPerSweep) {
    this.admin = admin;
    this.namePrefix = namePrefix;
    this.trialsPerSweep = BenchSweep.trials(trialsPerSweep);
  }

  /** Workers count every lease they get here. */
  LongAdder leased() {
    return leased;
  }

  /** Submits sweeps until more than {@value #AHEAD} sweeps' worth of trials is waiting. */
  void topUp() throws IOException, InterruptedException {
    while (queuedTotal - leased.sum() <= (long) AHEAD * trialsPerSweep) {
      String name = namePrefix + "-" + sweepIds.size();
      sweepIds.add(admin.submitSweep(BenchSweep.grid(name, trialsPerSweep)));
      queuedTotal += trialsPerSweep;
    }
  }

  /** How many sweeps were submitted. */
  int sweeps() {
    return sweepIds.size();
  }

  /** Cancels every sweep submitted (an ended sweep stays as it is). */
  void cancelAll() throws IOException, InterruptedException {
    for (String id : sweepIds) {
      admin.cancelSweep(id);
    }
  }
}
