package dev.thaw.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps the orchestrator's queue full for one configuration: submits grid sweeps of a fixed size so
 * that at least one sweep's worth of trials is always queued ahead of the workers, then cancels
 * them all at the end. A fixed sweep size keeps the per-trial work that grows with the sweep (the
 * orchestrator reads a sweep's trials when one of them ends) the same whatever the lease rate.
 */
final class SweepFeeder {
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

  /** Submits sweeps until more than one sweep's worth of trials is waiting. */
  void topUp() throws IOException, InterruptedException {
    while (queuedTotal - leased.sum() <= trialsPerSweep) {
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
