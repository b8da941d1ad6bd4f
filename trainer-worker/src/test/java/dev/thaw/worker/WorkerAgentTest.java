package dev.thaw.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import com.sun.net.httpserver.HttpServer;
import dev.thaw.inputs.InputPolicy;
import dev.thaw.model.LayerGroup;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.SourceModels;
import dev.thaw.model.TransferNetwork;
import dev.thaw.protocol.Failure;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.protocol.StopRequest;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's pull loop running real tiny trials (MNIST digits 0-2, a 4-channel CNN) against a
 * {@link ScriptedOrchestrator}.
 */
class WorkerAgentTest {
  @TempDir static Path dir;
  static Path sourceDir;

  @BeforeAll
  static void pretrainTinySource() throws IOException {
    sourceDir = TinySource.pretrain(dir);
  }

  /** A small trial on digits 0-2 whose data is split by seed 1 whatever its own seed. */
  static TrialSpec trial(String id, int freezeDepth, int epochs, long seed) {
    return TrialSpec.builder(sourceDir.toString(), new TargetSpec("mnist[0-2]", 0.3, 30, null, 1L))
        .id(id)
        .freezeDepth(freezeDepth)
        .learningRates(new LearningRates(3e-3, new BackboneLearningRates.Uniform(1e-3)))
        .batchSize(16)
        .dropout(0.0)
        .epochs(epochs)
        .warmupEpochs(0)
        .seed(seed)
        .build();
  }

  static WorkerAgent.Builder worker(ScriptedOrchestrator orchestrator) {
    return WorkerAgent.builder()
        .setSource(orchestrator)
        .optWorkerId("test-worker")
        .optRunsDir(dir.resolve("runs"))
        .optInputs(InputPolicy.confined(List.of(dir), List.of(dir), false));
  }

  @Test
  void twoTrialsOfOneTaskRunInARowOnTheCachedDataAndFreshWeights() {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    // The first trial trains every group; the second trains the head only, so its backbone must
    // still be the pretrained one, not what the first trial made of it.
    String first = orchestrator.queue(trial("all-groups", 0, 2, 5), 30);
    String second = orchestrator.queue(trial("head-only", 4, 1, 6), 30);
    WorkerAgent agent = worker(orchestrator).optMaxTrials(2).build();

    WorkerSummary summary = agent.run();

    assertEquals(WorkerSummary.Exit.MAX_TRIALS, summary.exit());
    assertEquals(2, summary.count(TrialOutcome.COMPLETED));
    assertEquals(1, agent.taskCache().dataLoads(), "the target data was loaded twice");
    assertEquals(1, agent.taskCache().modelLoads(), "the source weights were read twice");
    TrialResult a = orchestrator.completed().get(first);
    TrialResult b = orchestrator.completed().get(second);
    assertEquals(2, a.epochsRun());
    assertEquals(1, b.epochsRun());
    assertEquals(a.validationExamples(), b.validationExamples());
    assertEquals(90, b.trainExamples());
    assertEquals(List.of(), orchestrator.failed().keySet().stream().toList());
    // Each epoch went out with a heartbeat, in order.
    assertEquals(List.of(1, 2), epochsSent(orchestrator, first));
    assertEquals(List.of(1), epochsSent(orchestrator, second));
    assertTrue(
        identical(backbone(sourceDir, null), backbone(sourceDir, b)),
        "the head-only trial did not start from the pretrained backbone");
    assertFalse(identical(backbone(sourceDir, null), backbone(sourceDir, a)));
    assertEquals("test-worker", orchestrator.leaseCalls().get(0).workerId());
    assertEquals("cpu()", orchestrator.leaseCalls().get(0).device());
  }

  @Test
  void laterTrialsOfATaskTrainOnTheFeaturesTheFirstCached() {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    orchestrator.queue(trial("fd2-a", 2, 1, 5), 30);
    orchestrator.queue(trial("fd2-b", 2, 1, 6), 30);
    orchestrator.queue(trial("fd0", 0, 1, 7), 30);
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    WorkerAgent agent =
        worker(orchestrator)
            .optMaxTrials(3)
            .optFeatureCache(
                new dev.thaw.train.features.FeatureCacheSettings(
                    64L << 20, 0, dir.resolve("features")))
            .optListener(
                new WorkerListener() {
                  @Override
                  public void featureCache(
                      dev.thaw.protocol.Lease lease,
                      dev.thaw.train.features.FeatureCacheStats stats) {
                    if (stats.anyStage()) {
                      lines.add(WorkerLines.featureCache(lease, stats));
                    }
                  }
                })
            .build();

    assertEquals(3, agent.run().count(TrialOutcome.COMPLETED));

    assertEquals(2, lines.size(), "nothing to say of the trial with nothing frozen: " + lines);
    assertTrue(lines.get(0).contains("0 hit(s), 0 partial, 2 miss(es)"), lines.get(0));
    assertTrue(lines.get(1).contains("2 hit(s), 0 partial, 0 miss(es)"), lines.get(1));
    assertTrue(lines.get(1).endsWith("MB of features, prefix 0.0 s"), lines.get(1));
  }

  @Test
  void theWorkerTellsTheOrchestratorWhichPrefixesItHolds() {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    orchestrator.leasesWithResults(false);
    TrialSpec first = trial("fd2-a", 2, 1, 5);
    String firstLease = orchestrator.queue(first, 30);
    orchestrator.queue(trial("fd2-b", 2, 1, 6), 30);
    WorkerAgent agent =
        worker(orchestrator)
            .optMaxTrials(2)
            .optFeatureCache(
                new dev.thaw.train.features.FeatureCacheSettings(
                    64L << 20, 0, dir.resolve("features-hints")))
            .build();

    assertEquals(2, agent.run().count(TrialOutcome.COMPLETED));

    String hint = dev.thaw.trial.FeatureReuse.hint(dev.thaw.trial.FeatureReuse.task(first), 2);
    List<LeaseRequest> asked = orchestrator.leaseCalls();
    assertEquals(List.of(), asked.get(0).cachedPrefixes(), "nothing cached before the first");
    assertTrue(asked.get(1).cachedPrefixes().contains(hint), asked.get(1).toString());
    assertTrue(
        orchestrator.beats(firstLease).stream()
            .anyMatch(b -> b.heartbeat().cachedPrefixes().contains(hint)),
        "the first trial's heartbeats name the prefix it cached");
  }

  @Test
  void eachResultBringsTheNextLeaseSoATrialAfterTheFirstCostsOneCall() {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      first.add(orchestrator.queue(trial("one-call-" + i, 4, 1, 20 + i), 30));
    }
    List<String> events = new ArrayList<>();
    WorkerSummary summary =
        worker(orchestrator).optMaxTrials(3).optListener(recorder(events)).build().run();

    assertEquals(WorkerSummary.Exit.MAX_TRIALS, summary.exit());
    assertEquals(3, summary.count(TrialOutcome.COMPLETED));
    assertEquals(
        List.of("lease", "completeAndLease", "completeAndLease", "complete"),
        orchestrator.calls(),
        "the last result asks for nothing: the worker stops at its maximum");
    assertEquals(java.util.Set.copyOf(first), orchestrator.completed().keySet());
    assertEquals(
        List.of(
            "leased L1", "finished L1 COMPLETED",
            "leased L2", "finished L2 COMPLETED",
            "leased L3", "finished L3 COMPLETED"),
        events);
  }

  @Test
  void aResultWithoutTheNextLeaseLeasesAsUsual() {
    // An older orchestrator answers complete?next=true with 204, like an empty queue.
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    orchestrator.leasesWithResults(false);
    orchestrator.queue(trial("older-0", 4, 1, 30), 30);
    orchestrator.queue(trial("older-1", 4, 1, 31), 30);

    WorkerSummary summary = worker(orchestrator).optMaxTrials(2).build().run();

    assertEquals(2, summary.count(TrialOutcome.COMPLETED));
    assertEquals(List.of("lease", "completeAndLease", "lease", "complete"), orchestrator.calls());
  }

  @Test
  void aStopWhileTheResultBringsTheNextLeaseHandsThatLeaseBack() {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    String done = orchestrator.queue(trial("before-stop", 4, 1, 32), 30);
    String next = orchestrator.queue(trial("after-stop", 4, 1, 33), 30);
    WorkerAgent agent = worker(orchestrator).build();
    orchestrator.onCompleteAndLease(agent::stop);

    WorkerSummary summary = agent.run();

    assertEquals(WorkerSummary.Exit.STOPPED, summary.exit());
    assertEquals(1, summary.count(TrialOutcome.COMPLETED));
    assertEquals(1, summary.count(TrialOutcome.HANDED_BACK));
    assertEquals(List.of("lease", "completeAndLease", "fail"), orchestrator.calls());
    assertTrue(orchestrator.completed().containsKey(done));
    Failure failure = orchestrator.failed().get(next);
    assertTrue(failure.retryable());
    assertTrue(failure.reason().contains("stopped before it started"), failure.reason());
  }

  @Test
  void aStopAfterTheFirstEpochCompletesWithThatEpoch() {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    String lease = orchestrator.queue(trial("pruned", 1, 4, 7), 30);
    orchestrator.onHeartbeat(
        (id, beat) ->
            beat.epochs().isEmpty()
                ? HeartbeatReply.proceed(30)
                : HeartbeatReply.stop(StopRequest.PRUNED, 30));

    WorkerSummary summary = worker(orchestrator).optMaxTrials(1).build().run();

    assertEquals(1, summary.count(TrialOutcome.STOPPED));
    TrialResult r = orchestrator.completed().get(lease);
    assertEquals(1, r.epochsRun());
    assertEquals(1, r.epochs().size());
    assertTrue(r.stoppedEarly());
    assertEquals("pruned", r.stopReason());
    assertEquals(List.of(1), epochsSent(orchestrator, lease));
  }

  @Test
  void aLostLeaseStopsTrainingAndDropsTheTrialWithoutReporting() {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    String lease = orchestrator.queue(trial("lost", 1, 4, 8), 30);
    orchestrator.onHeartbeat(
        (id, beat) -> {
          throw new LeaseLostException(id, "expired and went to worker w-2");
        });
    List<String> dropped = new ArrayList<>();
    List<Integer> epochs = new ArrayList<>();
    WorkerSummary summary =
        worker(orchestrator)
            .optMaxTrials(1)
            .optListener(
                new WorkerListener() {
                  @Override
                  public void epoch(dev.thaw.protocol.Lease l, EpochMetrics m) {
                    epochs.add(m.epoch());
                  }

                  @Override
                  public void finished(
                      dev.thaw.protocol.Lease l,
                      TrialOutcome outcome,
                      TrialResult result,
                      Failure failure,
                      String detail) {
                    dropped.add(outcome + ": " + detail);
                  }
                })
            .build()
            .run();

    assertEquals(1, summary.count(TrialOutcome.DROPPED));
    assertEquals(List.of(1), epochs, "training went on after the lease was lost");
    assertEquals(
        List.of("DROPPED: lease " + lease + " lost: expired and went to worker w-2"), dropped);
    assertTrue(orchestrator.completed().isEmpty());
    assertTrue(orchestrator.failed().isEmpty());
  }

  @Test
  void anInvalidTrialFailsAsNotRetryable() {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    String lease = orchestrator.queue(trial("too-deep", 9, 1, 9), 30);

    WorkerSummary summary = worker(orchestrator).optMaxTrials(1).build().run();

    assertEquals(1, summary.count(TrialOutcome.FAILED));
    Failure failure = orchestrator.failed().get(lease);
    assertFalse(failure.retryable());
    assertTrue(failure.reason().startsWith("InvalidTrialSpecException: "), failure.reason());
    assertTrue(failure.reason().contains("freeze_depth: must be in [0, 4]"), failure.reason());
    assertTrue(orchestrator.completed().isEmpty());
  }

  @Test
  void aTrialNamingDataOutsideTheWorkersRootsFailsAsNotRetryable() {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    TrialSpec etc = trial("etc", 0, 1, 9);
    String lease =
        orchestrator.queue(
            TrialSpec.builder(etc.sourceModel(), new TargetSpec("folder:/etc", 0.3, 30, null, 1L))
                .id(etc.id())
                .freezeDepth(0)
                .learningRates(etc.learningRates())
                .batchSize(16)
                .dropout(0.0)
                .epochs(1)
                .warmupEpochs(0)
                .seed(9L)
                .build(),
            30);

    WorkerSummary summary = worker(orchestrator).optMaxTrials(1).build().run();

    assertEquals(1, summary.count(TrialOutcome.FAILED));
    Failure failure = orchestrator.failed().get(lease);
    assertFalse(failure.retryable());
    assertTrue(
        failure
            .reason()
            .contains(
                "target.dataset: 'folder:/etc' is outside the data roots ("
                    + dir.toAbsolutePath().normalize()
                    + ")"),
        failure.reason());
    assertFalse(Files.exists(dir.resolve("runs").resolve("etc")), "the trial started");
  }

  @Test
  void aRemoteSourceModelIsRefusedWithoutBeingFetched() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger requests = new AtomicInteger();
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/evil/model.zip";
      ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
      TrialSpec t = trial("evil", 0, 1, 9);
      String lease =
          orchestrator.queue(
              TrialSpec.builder(url, t.target())
                  .id(t.id())
                  .freezeDepth(0)
                  .learningRates(t.learningRates())
                  .batchSize(16)
                  .dropout(0.0)
                  .epochs(1)
                  .warmupEpochs(0)
                  .seed(9L)
                  .build(),
              30);

      WorkerSummary summary = worker(orchestrator).optMaxTrials(1).build().run();

      assertEquals(1, summary.count(TrialOutcome.FAILED));
      Failure failure = orchestrator.failed().get(lease);
      assertFalse(failure.retryable());
      assertTrue(
          failure.reason().contains("source_model: '" + url + "' is a remote model URL"),
          failure.reason());
      assertEquals(0, requests.get(), "the worker fetched the model");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aBackgroundHeartbeatKeepsTheLeaseAndCanStopALongTrial() {
    // 200 epochs would take far longer than the 1 s heartbeat: the orchestrator answers the first
    // heartbeat sent between epochs (it carries no epoch) with stop.
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    String lease = orchestrator.queue(trial("long", 2, 200, 10), 1);
    orchestrator.onHeartbeat(
        (id, beat) ->
            beat.epochs().isEmpty()
                ? HeartbeatReply.stop(StopRequest.CANCELLED, 30)
                : HeartbeatReply.proceed(30));

    WorkerSummary summary = worker(orchestrator).optMaxTrials(1).build().run();

    assertEquals(1, summary.count(TrialOutcome.STOPPED));
    assertTrue(
        orchestrator.beats(lease).stream().anyMatch(b -> b.heartbeat().epochs().isEmpty()),
        "no heartbeat between epochs");
    TrialResult r = orchestrator.completed().get(lease);
    assertEquals("cancelled", r.stopReason());
    assertTrue(r.epochsRun() < 200, "ran " + r.epochsRun() + " epochs");
  }

  @Test
  void stopDuringATrialHandsItBackAsRetryable() throws Exception {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    String lease = orchestrator.queue(trial("interrupted", 2, 200, 11), 30);
    WorkerAgent[] agent = new WorkerAgent[1];
    agent[0] =
        worker(orchestrator)
            .optListener(
                new WorkerListener() {
                  @Override
                  public void epoch(dev.thaw.protocol.Lease l, EpochMetrics m) {
                    if (m.epoch() == 2) {
                      Thread.ofPlatform().start(agent[0]::stop);
                    }
                  }
                })
            .build();

    WorkerSummary summary = agent[0].run();

    assertEquals(WorkerSummary.Exit.STOPPED, summary.exit());
    assertEquals(1, summary.count(TrialOutcome.HANDED_BACK));
    Failure failure = orchestrator.failed().get(lease);
    assertTrue(failure.retryable());
    assertTrue(failure.reason().startsWith("worker test-worker stopped"), failure.reason());
    assertTrue(epochsSent(orchestrator, lease).size() < 10, "the trial ran on after stop()");
    assertTrue(orchestrator.completed().isEmpty());
  }

  @Test
  void anIdleWorkerPollsWithBackoffAndExitsAfterItsIdleTimeout() {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    long t0 = System.nanoTime();
    WorkerSummary summary = worker(orchestrator).optIdleExit(Duration.ofMillis(700)).build().run();
    double seconds = (System.nanoTime() - t0) / 1e9;

    assertEquals(WorkerSummary.Exit.IDLE, summary.exit());
    assertEquals(0, summary.trials());
    assertTrue(seconds >= 0.7 && seconds < 2, "exited after " + seconds + " s");
    // 100, 200, 400 ms waits and the rest of the 700 ms: 4 or 5 polls, not a busy loop.
    int polls = orchestrator.leaseCalls().size();
    assertTrue(polls >= 3 && polls <= 6, polls + " polls");
  }

  @Test
  void anUnreachableOrchestratorIsReportedOnceAndWaitedFor() {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    orchestrator.unreachableFor(3);
    orchestrator.queue(trial("after-outage", 9, 1, 12), 30); // invalid: fails at once, no training
    List<String> warnings = new ArrayList<>();
    WorkerSummary summary =
        worker(orchestrator)
            .optMaxTrials(1)
            .optListener(
                new WorkerListener() {
                  @Override
                  public void orchestratorUnavailable(String message) {
                    warnings.add(message);
                  }
                })
            .build()
            .run();
    assertEquals(List.of("orchestrator (scripted) unreachable"), warnings);
    assertEquals(1, summary.count(TrialOutcome.FAILED));
    assertEquals(4, orchestrator.leaseCalls().size());
  }

  @Test
  void stopFromAnotherThreadEndsAnIdleWorkerAtOnce() throws Exception {
    ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    WorkerAgent agent =
        worker(orchestrator)
            .optPollBackoff(new Backoff(Duration.ofSeconds(30), Duration.ofSeconds(30)))
            .build();
    CompletableFuture<WorkerSummary> running = CompletableFuture.supplyAsync(agent::run);
    while (orchestrator.leaseCalls().isEmpty()) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    long t0 = System.nanoTime();
    agent.stop();
    WorkerSummary summary = running.get(5, TimeUnit.SECONDS);
    assertEquals(WorkerSummary.Exit.STOPPED, summary.exit());
    assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "stop waited for the 30 s poll");
  }

  // --- helpers -------------------------------------------------------------------------------

  /** A listener that writes "leased L1", "finished L1 COMPLETED", ... to {@code events}. */
  private static WorkerListener recorder(List<String> events) {
    return new WorkerListener() {
      @Override
      public void leased(dev.thaw.protocol.Lease l) {
        events.add("leased " + l.leaseId());
      }

      @Override
      public void finished(
          dev.thaw.protocol.Lease l,
          TrialOutcome outcome,
          TrialResult result,
          Failure failure,
          String detail) {
        events.add("finished " + l.leaseId() + " " + outcome);
      }
    };
  }

  private static List<Integer> epochsSent(ScriptedOrchestrator orchestrator, String lease) {
    return orchestrator.beats(lease).stream()
        .flatMap(b -> b.heartbeat().epochs().stream())
        .map(EpochMetrics::epoch)
        .toList();
  }

  /** The backbone's values: the source model's, or those of a trial's saved weights. */
  private static List<float[]> backbone(Path source, TrialResult trained) {
    try (TransferNetwork net =
        SourceModels.open(new SourceModelRef.ParamsDir(source), Device.cpu(), 3, 0)) {
      if (trained != null) {
        Path weights = Path.of(trained.bestWeights());
        String name = weights.getFileName().toString().replace("-0000.params", "");
        net.loadWeights(weights.getParent(), name);
      }
      List<float[]> values = new ArrayList<>();
      for (LayerGroup g : net.groups()) {
        for (Parameter p : g.parameters()) {
          values.add(p.getArray().toFloatArray());
        }
      }
      return values;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean identical(List<float[]> a, List<float[]> b) {
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
