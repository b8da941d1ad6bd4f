package dev.thaw.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code ./thaw ...} child process (the launcher, as a user runs it: {@code serve}, {@code
 * worker}), its output appended to a log file. {@link #kill()} is {@code kill -9} of its whole
 * process tree (the launcher's JVM with it); {@link #terminate()} is a SIGTERM to the launcher,
 * which a worker's JVM (the launcher {@code exec}s it) answers by handing its trial back, and
 * {@code serve} by stopping the orchestrator. A shutdown hook kills the tree if this JVM ends
 * first.
 */
final class LauncherChild {
  static final Path LAUNCHER = Path.of("thaw");

  private final String name;
  private final Process process;
  private final Path log;
  private final long logStart;
  private final Thread hook;

  private LauncherChild(String name, Process process, Path log, long logStart) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.logStart = logStart;
    this.hook = new Thread(this::killQuietly, "kill-" + name);
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Started while this JVM stops (Ctrl-C during a strike): nothing would stop it later.
      killQuietly();
      throw shuttingDown;
    }
  }

  /**
   * Starts {@code ./thaw args...} with this process's environment, less the variables named in
   * {@code unset}, plus {@code env}.
   */
  static LauncherChild start(
      String name, List<String> args, Map<String, String> env, List<String> unset, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toAbsolutePath().toString());
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    unset.forEach(pb.environment()::remove);
    pb.environment().putAll(env);
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    return new LauncherChild(name, pb.start(), log, logStart);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** {@code kill -9} of the launcher and everything under it; waits for them to be gone. */
  void kill() throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : tree) {
      p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
    }
    forget();
  }

  /** SIGTERM to the launcher; true when it (and its tree) exited within {@code grace}. */
  boolean terminate(Duration grace) throws InterruptedException {
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroy();
    boolean exited = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    for (ProcessHandle p : tree) {
      exited &= !p.onExit().completeOnTimeout(p, 5, TimeUnit.SECONDS).join().isAlive();
    }
    if (!exited) {
      kill();
    }
    forget();
    return exited;
  }

  /** What this process has written to its log so far (the log may hold earlier ones' lines). */
  List<String> linesSinceStart() {
    try {
      byte[] all = Files.readAllBytes(log);
      int from = (int) Math.min(logStart, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The last {@code lines} lines of its log. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(" + log + " unreadable: " + e.getMessage() + ")";
    }
  }

  /** {@code kill -9} of the tree without waiting (shutdown hook, interrupted clean-up). */
  void killQuietly() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private void forget() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs or is about to; killing twice is harmless.
    }
  }
}
