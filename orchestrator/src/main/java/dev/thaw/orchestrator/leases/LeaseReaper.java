package dev.thaw.orchestrator.leases;

import dev.thaw.orchestrator.metrics.LeaseMetrics;
import dev.thaw.orchestrator.mlflow.SweepRuns;
import dev.thaw.orchestrator.store.AttemptRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Requeues the trials whose lease expired (or fails them when their retries are spent). On its
 * first run it takes over the leases active in the store ({@link LiveLeases#takeOverOnce}). It
 * expires an attempt only with a conditional update of the store's expiry, so a lease another
 * orchestrator process on the same store extended or ended is left alone; once expired, a late
 * report from the attempt's worker is rejected.
 */
@ApplicationScoped
class LeaseReaper {
  private static final Logger LOG = Logger.getLogger(LeaseReaper.class);

  private final AttemptRepository attempts;
  private final LeaseSettings settings;
  private final SweepRuns sweepRuns;
  private final LiveLeases live;
  private final AttemptEnder ender;
  private final LeaseMetrics metrics;

  LeaseReaper(
      AttemptRepository attempts,
      LeaseSettings settings,
      SweepRuns sweepRuns,
      LiveLeases live,
      AttemptEnder ender,
      LeaseMetrics metrics) {
    this.metrics = metrics;
    this.attempts = attempts;
    this.settings = settings;
    this.sweepRuns = sweepRuns;
    this.live = live;
    this.ender = ender;
  }

  /** Puts the trials of expired leases back in the queue (or fails them); runs every second. */
  @Scheduled(
      every = "${thaw.leases.reap-every:1s}",
      executeWith = Scheduled.SIMPLE, // in memory on every replica, not a Quartz job in the store
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void reapExpired() {
    live.takeOverOnce();
    ender.retryDoneChecks();
    long now = System.currentTimeMillis();
    for (LiveLease lease : live.all()) {
      if (!lease.expired(now)) {
        continue;
      }
      synchronized (lease) {
        if (lease.ended() || !lease.expired(now)) {
          continue;
        }
        try {
          ender.endLease(
              lease,
              () -> {
                if (!attempts.expire(lease.leaseId, "no heartbeat in time", now)) {
                  // Ended, or extended, by another orchestrator process on the same store.
                  throw new LeaseLostException(lease.leaseId, "not expired in the store");
                }
                LOG.warnf(
                    "lease %s of trial %s expired (worker %s on %s silent)",
                    lease.leaseId, lease.trialId, lease.workerId, lease.host);
                return ender.endAttempt(
                    lease.trialId,
                    "attempt "
                        + lease.attempt
                        + " lost: worker "
                        + lease.workerId
                        + " sent no heartbeat for "
                        + settings.seconds()
                        + " s",
                    true,
                    now);
              });
          metrics.ended(LeaseMetrics.Ending.EXPIRED);
          // Its MLflow child run is marked FAILED, in the background.
          sweepRuns.attemptLost(lease.leaseId, lease.trialId, lease.attempt, lease.workerId);
        } catch (LeaseLostException e) {
          LOG.debugf("lease %s: %s", lease.leaseId, e.getMessage());
        }
      }
    }
  }
}
