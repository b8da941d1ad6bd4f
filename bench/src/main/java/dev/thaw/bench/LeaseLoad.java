package dev.thaw.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.commons.math3.util.ResizableDoubleArray;

/**
 * One configuration of {@link LeaseThroughput}: simulated workers against a running orchestrator.
 */
final class LeaseLoad {
  private LeaseLoad() {}

  /**
   * Runs {@code workers} simulated workers through a ramp-up and the measured window, with a {@link
   * SweepFeeder} keeping trials queued; cancels the sweeps afterwards. With {@code pacedRate} > 0
   * the workers together offer that many leases per second (each one trial per {@code workers /
   * pacedRate} s); with 0 each goes as fast as the orchestrator answers.
   */
  static LeaseRow run(
      String store,
      OrchestratorProcess orchestrator,
      int workers,
      int pacedRate,
      int seconds,
      int trials,
      String label,
      OtherProcessesCpu others)
      throws Exception {
    MeasurementWindow window = new MeasurementWindow();
    List<SimulatedWorker.Samples> samples = new ArrayList<>();
    int sweeps;
    int inWindow = 0;
    double submitP50;
    double otherCores;
    try (BenchApiClient admin = new BenchApiClient(orchestrator)) {
      SweepFeeder feeder = new SweepFeeder(admin, store + "-" + label + "-" + workers, trials);
      long expected =
          (long) (pacedRate > 0 ? pacedRate : LeaseThroughput.MAX_RATE_ASSUMED)
              * (LeaseThroughput.RAMP_MILLIS / 1000 + seconds);
      feeder.prefill(expected + expected / 4);
      List<BenchApiClient> clients =
          IntStream.range(0, workers).mapToObj(i -> new BenchApiClient(orchestrator)).toList();
      long trialNanos = pacedRate > 0 ? TimeUnit.SECONDS.toNanos(workers) / pacedRate : 0;
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      try {
        List<Future<SimulatedWorker.Samples>> futures = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
          futures.add(
              pool.submit(
                  new SimulatedWorker(
                      clients.get(i), "bench-worker-" + i, window, feeder.leased(), trialNanos)));
        }
        long rampEnd =
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LeaseThroughput.RAMP_MILLIS);
        keepFed(feeder, futures, window, rampEnd);
        window.open();
        others.start();
        int before = feeder.sweeps();
        keepFed(feeder, futures, window, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
        window.close();
        inWindow = feeder.sweeps() - before;
        otherCores = others.coresSinceStart();
        for (Future<SimulatedWorker.Samples> f : futures) {
          samples.add(f.get(120, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
        clients.forEach(BenchApiClient::close);
        feeder.cancelAll();
      }
      sweeps = feeder.sweeps();
      submitP50 =
          LatencySummary.of(
                  feeder.submitMillis().stream().mapToDouble(Double::doubleValue).toArray())
              .p50();
    }
    if (window.wasExhausted()) {
      System.out.printf(
          Locale.ROOT,
          "%s, %d workers: the queue ran dry after %.1f s of %d (sweeps were not submitted fast"
              + " enough); pass a larger trials-per-sweep%n",
          store,
          workers,
          window.seconds(),
          seconds);
    }
    return new LeaseRow(
        store,
        workers,
        pacedRate,
        sweeps,
        inWindow,
        submitP50,
        samples.stream().mapToInt(SimulatedWorker.Samples::leases).sum(),
        window.seconds(),
        window.wasExhausted(),
        summary(samples, SimulatedWorker.Samples::lease),
        summary(samples, SimulatedWorker.Samples::idleGap),
        summary(samples, SimulatedWorker.Samples::heartbeat),
        summary(samples, SimulatedWorker.Samples::complete),
        otherCores);
  }

  /**
   * Tops the queue up until {@code until} (nanoTime), a worker ends early, or the queue ran dry.
   */
  private static void keepFed(
      SweepFeeder feeder, List<? extends Future<?>> futures, MeasurementWindow window, long until)
      throws Exception {
    while (System.nanoTime() < until && !window.stopping()) {
      if (anyDone(futures)) {
        window.close();
        for (Future<?> f : futures) {
          if (f.isDone()) {
            f.get(); // throws the worker's failure
          }
        }
      }
      feeder.topUp();
      Thread.sleep(50);
    }
  }

  /** A worker that ended early has failed (its future holds the exception) or found no trial. */
  private static boolean anyDone(List<? extends Future<?>> futures) {
    return futures.stream().anyMatch(Future::isDone);
  }

  private static LatencySummary summary(
      List<SimulatedWorker.Samples> samples,
      java.util.function.Function<SimulatedWorker.Samples, ResizableDoubleArray> which) {
    return LatencySummary.of(
        samples.stream()
            .flatMapToDouble(s -> java.util.Arrays.stream(which.apply(s).getElements()))
            .toArray());
  }
}
