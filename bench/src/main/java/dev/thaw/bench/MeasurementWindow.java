package dev.thaw.bench;

/**
 * The measured interval of one configuration, shared by its workers: events whose time ({@link
 * System#nanoTime()}) falls in [from, until) count. Before {@link #open()} nothing counts
 * (ramp-up); {@link #close()} or {@link #exhausted(long)} ends it and tells the workers to stop
 * after their current trial.
 */
final class MeasurementWindow {
  private volatile long from = Long.MAX_VALUE;
  private volatile long until = Long.MAX_VALUE;
  private volatile boolean stopping;
  private volatile boolean exhausted;

  /** Starts counting now. */
  void open() {
    from = System.nanoTime();
  }

  /** Stops counting now and asks the workers to stop. */
  synchronized void close() {
    until = Math.min(until, System.nanoTime());
    stopping = true;
  }

  /** A worker found no trial to lease at {@code nanos}: the window ends there. */
  synchronized void exhausted(long nanos) {
    until = Math.min(until, nanos);
    exhausted = true;
    stopping = true;
  }

  boolean contains(long nanos) {
    return nanos >= from && nanos < until;
  }

  boolean stopping() {
    return stopping;
  }

  /** Whether the sweep ran out of trials before the planned end. */
  boolean wasExhausted() {
    return exhausted;
  }

  /** Length of the window in seconds (after it was closed). */
  double seconds() {
    return (until - from) / 1e9;
  }
}
