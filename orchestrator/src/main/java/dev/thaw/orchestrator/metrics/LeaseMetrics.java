package dev.thaw.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Counts leases granted and how they ended, and times the worker protocol's calls. Every series
 * exists from the start (at 0), so a rate over it is 0, not empty.
 */
@Startup
@ApplicationScoped
public class LeaseMetrics {
  /** How a lease ended: the {@code outcome} label of {@code thaw_leases_ended_total}. */
  public enum Ending {
    COMPLETED,
    FAILED,
    EXPIRED,
    HANDED_BACK;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A worker protocol call: the {@code call} label of {@code thaw_lease_round_trip_seconds}. */
  public enum Call {
    LEASE,
    HEARTBEAT,
    COMPLETE,
    FAIL,
    HAND_BACK;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  private final Counter granted;
  private final Map<Ending, Counter> ended = new EnumMap<>(Ending.class);
  private final Map<Call, Timer> calls = new EnumMap<>(Call.class);

  LeaseMetrics(MeterRegistry registry) {
    granted =
        Counter.builder("thaw.leases.granted")
            .description("Leases handed to workers (a trial attempt each)")
            .register(registry);
    for (Ending e : Ending.values()) {
      ended.put(
          e,
          Counter.builder("thaw.leases.ended")
              .description("Leases ended, by how: completed, failed, expired, handed_back")
              .tag("outcome", e.key())
              .register(registry));
    }
    for (Call c : Call.values()) {
      calls.put(
          c,
          Timer.builder("thaw.lease.round.trip")
              .description("Time the orchestrator takes to answer a worker protocol call, by call")
              .tag("call", c.key())
              .serviceLevelObjectives(BUCKETS)
              .register(registry));
    }
  }

  /** A lease was granted. */
  public void granted() {
    granted.increment();
  }

  /** A lease ended {@code how}. */
  public void ended(Ending how) {
    ended.get(how).increment();
  }

  /** Runs {@code work} and times it as {@code call}, also when it throws. */
  public <T> T time(Call call, Supplier<T> work) {
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      calls.get(call).record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** Runs {@code work} and times it as {@code call}, also when it throws. */
  public void time(Call call, Runnable work) {
    time(
        call,
        () -> {
          work.run();
          return null;
        });
  }
}
