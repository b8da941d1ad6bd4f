package dev.thaw.worker;

import java.time.Duration;

/**
 * A worker's stop request, and the one thread it may interrupt: {@link #request()}, from any
 * thread, sets the flag and interrupts the worker's thread only while that thread is in an
 * interruptible phase (an idle wait or a lease call), never while it trains.
 */
final class StopSignal {
  private volatile boolean requested;
  private final Object phaseLock = new Object();
  private Thread runner;
  private boolean interruptible;

  /** Makes {@code thread} (or none, when null) the one {@link #request()} may interrupt. */
  void bind(Thread thread) {
    synchronized (phaseLock) {
      runner = thread;
    }
  }

  /**
   * Asks the worker to stop: the flag is set, and an interruptible phase in progress is
   * interrupted.
   */
  void request() {
    requested = true;
    synchronized (phaseLock) {
      if (interruptible && runner != null) {
        runner.interrupt();
      }
    }
  }

  /** Whether a stop was asked for. */
  boolean requested() {
    return requested;
  }

  /** Waits for {@code wait}, or until a stop interrupts the wait. */
  void sleep(Duration wait) {
    enterInterruptible();
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      // request() interrupted the wait; the caller sees requested().
    } finally {
      leaveInterruptible();
    }
  }

  /** From here on, {@link #request()} may interrupt the calling thread. */
  void enterInterruptible() {
    synchronized (phaseLock) {
      interruptible = true;
    }
    if (requested) {
      Thread.currentThread().interrupt();
    }
  }

  /** From here on it may not; an interrupt it made is cleared. */
  void leaveInterruptible() {
    synchronized (phaseLock) {
      interruptible = false;
    }
    // Clear an interrupt from request(): training must not see it.
    Thread.interrupted();
  }
}
