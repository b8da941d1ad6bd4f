package dev.thaw.orchestrator.mlflow;

import dev.thaw.orchestrator.store.AttemptRecord;
import dev.thaw.orchestrator.store.AttemptRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * After a restart, marks FAILED again the MLflow runs of recently lost attempts. Marking a lost
 * attempt's run is a background chore kept in memory (see {@link SweepRuns#attemptLost}); an
 * orchestrator that dies while the MLflow server is down or slow takes its pending chores with it,
 * and the runs stayed RUNNING for good ({@code ./thaw bench chaos} found one). The chore is
 * idempotent (it ends only runs still running), so the attempts that expired within the chores'
 * give-up time are simply submitted again.
 */
@ApplicationScoped
class LostRunsAfterRestart {
  private static final Logger LOG = Logger.getLogger(LostRunsAfterRestart.class);

  void resubmit(@Observes StartupEvent start, AttemptRepository attempts, SweepRuns tracking) {
    long since = System.currentTimeMillis() - RunChores.GIVE_UP_AFTER.toMillis();
    List<AttemptRecord> lost;
    try {
      lost = QuarkusTransaction.requiringNew().call(() -> attempts.expiredSince(since));
    } catch (RuntimeException e) {
      LOG.warnf(e, "cannot list the recently lost attempts; their MLflow runs are not rechecked");
      return;
    }
    for (AttemptRecord a : lost) {
      tracking.attemptLost(a.id(), a.trialId(), a.number(), a.workerId());
    }
    if (!lost.isEmpty()) {
      LOG.infof(
          "rechecking the MLflow runs of %d attempts lost in the last %s",
          lost.size(), RunChores.GIVE_UP_AFTER);
    }
  }
}
