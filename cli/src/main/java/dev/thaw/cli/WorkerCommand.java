package dev.thaw.cli;

import dev.thaw.inputs.InputPolicy;
import dev.thaw.train.Devices;
import dev.thaw.worker.HttpTrialSource;
import dev.thaw.worker.WorkerAgent;
import dev.thaw.worker.WorkerSummary;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code thaw worker --orchestrator URL}: pulls trials from an orchestrator and runs them one at a
 * time, printing one line per event; exits 0 after {@code --max-trials} or {@code --idle-exit}.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Pull trials from an orchestrator and run them, one at a time.",
      "Trials of the same task reuse the loaded data and pretrained weights, and the outputs"
          + " of their frozen layer groups (the feature cache)."
    },
    footer = {
      "",
      "Token: sends $THAW_WORKER_TOKEN, else the worker token a local orchestrator generated"
          + " ($THAW_CACHE/orchestrator/worker-token), the latter to localhost URLs only.",
      "Feature cache: $THAW_FEATURE_CACHE_MEMORY_MB (default 1024; 0 turns it off),"
          + " $THAW_FEATURE_CACHE_DISK_MB (default 4096) spilled to $THAW_FEATURE_CACHE_DIR"
          + " (default $THAW_CACHE/features)."
    })
final class WorkerCommand implements Callable<Integer> {
  /** How long Ctrl-C waits for the running trial to be handed back. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

  @Option(
      names = "--orchestrator",
      required = true,
      paramLabel = "URL",
      description = "The orchestrator's base URL, e.g. http://localhost:8080.")
  String orchestrator;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu, gpu or gpu:N (default cpu).")
  String device;

  @Option(names = "--worker-id", paramLabel = "ID", description = "Default: host-device-pid.")
  String workerId;

  @Option(
      names = "--max-trials",
      paramLabel = "N",
      defaultValue = "0",
      description = "Exit after N trials (default 0: no limit).")
  int maxTrials;

  @Option(
      names = "--idle-exit",
      paramLabel = "SECONDS",
      description = "Exit after this many seconds without a trial (default: wait for ever).")
  Double idleExitSeconds;

  @Option(names = "--runs-dir", description = "Where trial folders go (default $THAW_CACHE/runs).")
  Path runsDir;

  @Option(
      names = "--data-root",
      paramLabel = "DIR",
      description = {
        "A folder that trials' folder: datasets must resolve inside (repeatable; relative paths"
            + " in trials are taken from the first).",
        "Default: $THAW_DATA_ROOTS (comma- or colon-separated), else $THAW_CACHE/data and /data."
      })
  List<Path> dataRoots;

  @Option(
      names = "--model-root",
      paramLabel = "DIR",
      description = {
        "A folder that trials' source model paths must resolve inside (repeatable).",
        "Default: $THAW_MODELS_ROOTS, else $THAW_CACHE/models (thaw pretrain's) and /models."
      })
  List<Path> modelRoots;

  @Option(
      names = "--allow-remote-models",
      description =
          "Let trials load source models from URLs (http, https, djl); default"
              + " $THAW_MODELS_ALLOW_REMOTE, else off.")
  boolean allowRemoteModels;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The environment's policy, with what the flags say instead. */
  InputPolicy inputs(Map<String, String> env) {
    InputPolicy fromEnv = InputPolicy.fromEnvironment(env);
    return InputPolicy.confined(
        dataRoots != null && !dataRoots.isEmpty() ? dataRoots : fromEnv.dataRoots().roots(),
        modelRoots != null && !modelRoots.isEmpty() ? modelRoots : fromEnv.modelRoots().roots(),
        allowRemoteModels || fromEnv.allowRemoteModels());
  }

  @Override
  public Integer call() {
    URI url = HttpTrialSource.parseBaseUrl(orchestrator);
    if (maxTrials < 0) {
      throw new IllegalArgumentException("--max-trials must be >= 0 (got " + maxTrials + ")");
    }
    if (idleExitSeconds != null && !(idleExitSeconds >= 0)) {
      throw new IllegalArgumentException(
          "--idle-exit must be a number of seconds >= 0 (got " + idleExitSeconds + ")");
    }
    WorkerAgent.Builder builder =
        WorkerAgent.builder()
            .optDevice(Devices.parse(device))
            .optWorkerId(workerId)
            .optRunsDir(runsDir)
            .optMaxTrials(maxTrials)
            .optInputs(inputs(System.getenv()))
            .optListener(new WorkerPrinter(spec.commandLine().getOut()));
    if (idleExitSeconds != null) {
      builder.optIdleExit(Duration.ofMillis(Math.round(idleExitSeconds * 1000)));
    }
    try (HttpTrialSource source =
        HttpTrialSource.forOrchestrator(url, HttpTrialSource.Settings.defaults())) {
      WorkerAgent agent = builder.setSource(source).build();
      spec.commandLine()
          .getOut()
          .printf(
              "worker %s on %s pulls from %s%ntrials may name %s%n",
              agent.identity().workerId(), agent.identity().device(), url, agent.inputs());
      CountDownLatch done = new CountDownLatch(1);
      Thread onCtrlC =
          new Thread(
              () -> {
                agent.stop();
                try {
                  done.await(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "thaw-worker-shutdown");
      Runtime.getRuntime().addShutdownHook(onCtrlC);
      try {
        WorkerSummary summary = agent.run();
        return summary.exit() == WorkerSummary.Exit.STOPPED ? 130 : 0;
      } finally {
        done.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(onCtrlC);
        } catch (IllegalStateException e) {
          // The JVM is already shutting down (Ctrl-C): the hook is running.
        }
      }
    }
  }
}
