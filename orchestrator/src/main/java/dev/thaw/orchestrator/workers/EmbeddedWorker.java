package dev.thaw.orchestrator.workers;

import dev.thaw.orchestrator.leases.LeaseService;
import dev.thaw.orchestrator.sweeps.InputSettings;
import dev.thaw.train.Devices;
import dev.thaw.worker.WorkerAgent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The worker that runs inside the orchestrator's JVM ({@code thaw.workers.embedded=1}, what {@code
 * thaw serve} sets): it pulls trials like any remote worker, through {@link EmbeddedTrialSource}
 * instead of HTTP. DJL trains one model per JVM, so there is at most one; more local workers are
 * separate {@code thaw worker} processes.
 */
@ApplicationScoped
public class EmbeddedWorker {
  private static final Logger LOG = Logger.getLogger(EmbeddedWorker.class);

  private final LeaseService leases;
  private final InputSettings inputs;
  private final int count;
  private final String device;
  private volatile WorkerAgent agent;
  private volatile Thread thread;
  private volatile Throwable failure;

  EmbeddedWorker(
      LeaseService leases,
      InputSettings inputs,
      @ConfigProperty(name = "thaw.workers.embedded", defaultValue = "0") int count,
      @ConfigProperty(name = "thaw.workers.device", defaultValue = "cpu") String device) {
    this.leases = leases;
    this.inputs = inputs;
    this.count = count;
    this.device = device;
  }

  void start(@Observes StartupEvent event) {
    if (count <= 0) {
      LOG.info("no embedded worker (thaw.workers.embedded=0): trials wait for remote workers");
      return;
    }
    if (count > 1) {
      LOG.warnf(
          "thaw.workers.embedded=%d: one JVM trains one model at a time, so one worker is"
              + " embedded; start the others with `thaw worker` (thaw serve --workers N does)",
          count);
    }
    String id = host() + "-embedded";
    agent =
        WorkerAgent.builder()
            .setSource(new EmbeddedTrialSource(leases))
            .optDevice(Devices.parse(device))
            .optWorkerId(id)
            .optInputs(inputs.policy())
            .build();
    thread =
        new Thread(
            () -> {
              try {
                agent.run();
              } catch (RuntimeException | Error e) {
                failure = e;
                LOG.error(
                    "embedded worker "
                        + id
                        + " died: "
                        + e
                        + "; its trial goes back to the queue when the lease expires",
                    e);
              }
            },
            "thaw-embedded-worker");
    thread.setDaemon(true);
    thread.start();
    LOG.infof("embedded worker %s started on %s", id, device);
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    if (agent != null) {
      agent.stop();
      thread.join(30_000);
    }
  }

  /** Whether a worker runs in this JVM. */
  public boolean running() {
    return thread != null && thread.isAlive();
  }

  /** Whether one is configured ({@code thaw.workers.embedded} > 0). */
  public boolean configured() {
    return count > 0;
  }

  /** Why the embedded worker died, or null. */
  public Throwable failure() {
    return failure;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
