package dev.thaw.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps the orchestrator's queue full for one configuration: submits grid sweeps of a fixed size,
 * enough for the whole configuration before the workers start ({@link #prefill}), more while they
 * run only if the queue gets low ({@link #topUp}), then cancels them all at the end. A fixed sweep
 * size keeps the work per trial that may depend on its sweep's size the same whatever the rate.
 */
final class SweepFeeder {
  /** Sweeps' worth of trials kept queued ahead of the workers. */
  static final int AHEAD = 3;

  private final BenchApiClient admin;
  private final String namePrefix;
  private final int trialsPerSweep;
  private final LongAdder leased = new LongAdder();
  private final List<String> sweepIds = new ArrayList<>();
  private final List<Double> submitMillis = new ArrayList<>();
  private long queuedTotal;

  SweepFeeder(BenchApiClient admin, String namePrefix, int trialsPerSweep) {
    this.admin = admin;
    this.namePrefix = namePrefix;
    this.trialsPerSweep = BenchSweep.trials(trialsPerSweep);
  }

  /** Workers count every lease they get here. */
  LongAdder leased() {
    return leased;
  }

  /**
   * Before the workers start: submits sweeps until at least {@code trials} are queued on top of the
   * {@value #AHEAD} sweeps' worth {@link #topUp} keeps, so that a window that leases no more than
   * {@code trials} needs no submission (storing a sweep's trials is not the worker API's load).
   */
  void prefill(long trials) throws IOException, InterruptedException {
    while (queuedTotal - leased.sum() <= trials + (long) AHEAD * trialsPerSweep) {
      submit();
    }
  }

  /**
   * While the workers run, a safety net: submits sweeps while at most {@value #AHEAD} sweeps' worth
   * of trials is waiting (after an ample {@link #prefill}, never).
   */
  void topUp() throws IOException, InterruptedException {
    while (queuedTotal - leased.sum() <= (long) AHEAD * trialsPerSweep) {
      submit();
    }
  }

  private void submit() throws IOException, InterruptedException {
    String name = namePrefix + "-" + sweepIds.size();
    long start = System.nanoTime();
    sweepIds.add(admin.submitSweep(BenchSweep.grid(name, trialsPerSweep)));
    submitMillis.add((System.nanoTime() - start) / 1e6);
    queuedTotal += trialsPerSweep;
  }

  /** How long each submission took, in ms (request sent to the sweep's id read). */
  List<Double> submitMillis() {
    return Collections.unmodifiableList(submitMillis);
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
