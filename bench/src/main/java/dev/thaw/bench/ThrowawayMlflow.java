package dev.thaw.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A throwaway MLflow server from {@code scripts/mlflow-server} (the pinned MLflow in its
 * virtualenv, SQLite store and served artifacts under /tmp, 127.0.0.1 and a free port). Stopped and
 * its directory removed by {@link #close()}, and by a shutdown hook if the JVM ends first.
 *
 * <p>{@link #processes()} lists its processes, so that a benchmark can pin them to a core and count
 * their CPU.
 */
final class ThrowawayMlflow implements AutoCloseable {
  private static final Path SCRIPT = Path.of("scripts/mlflow-server");

  private final Path dir;
  private final String uri;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread hook = new Thread(this::remove, "remove-mlflow-server");

  private ThrowawayMlflow(Path dir, String uri) {
    this.dir = dir;
    this.uri = uri;
  }

  /** Starts a new server; its messages go to this process's stderr. */
  static ThrowawayMlflow start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "thaw-bench-mlflow.");
    String out = launch(dir);
    if (out == null) {
      run("remove", dir);
      throw new IOException(
          SCRIPT
              + " start "
              + dir
              + " failed; see its messages above (MLflow installed? scripts/mlflow-server install)");
    }
    String uri = ThrowawayPostgres.parseExports(out).get("THAW_TEST_MLFLOW_URI");
    if (uri == null) {
      run("remove", dir);
      throw new IOException(SCRIPT + " start printed no THAW_TEST_MLFLOW_URI line: " + out);
    }
    ThrowawayMlflow server = new ThrowawayMlflow(dir, uri);
    Runtime.getRuntime().addShutdownHook(server.hook);
    return server;
  }

  String uri() {
    return uri;
  }

  /**
   * Stops the server (its whole process group) and keeps its directory, so that {@link
   * #startAgain()} brings the same store back on the same port: an outage.
   */
  void stop() {
    run("stop", dir);
  }

  /** Starts the server stopped by {@link #stop()} again, on the same store and port. */
  void startAgain() throws IOException, InterruptedException {
    String out = launch(dir);
    if (out == null) {
      throw new IOException(SCRIPT + " start " + dir + " (again) failed; see its messages above");
    }
    String again = ThrowawayPostgres.parseExports(out).get("THAW_TEST_MLFLOW_URI");
    if (!uri.equals(again)) {
      throw new IOException("MLflow came back on " + again + ", not on " + uri);
    }
  }

  /**
   * Runs {@code scripts/mlflow-server start DIR} (its messages to this process's stderr) and
   * returns what it printed, or null when it failed or took over 3 minutes.
   */
  private static String launch(Path dir) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(SCRIPT.toString(), "start", dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      return null;
    }
    return out;
  }

  /** The server's process and its descendants (MLflow runs its app in a uvicorn child). */
  List<ProcessHandle> processes() throws IOException {
    long pid = Long.parseLong(Files.readString(dir.resolve("mlflow.pid")).strip());
    ProcessHandle server =
        ProcessHandle.of(pid)
            .orElseThrow(() -> new IOException("MLflow server process " + pid + " is gone"));
    List<ProcessHandle> all = new ArrayList<>();
    all.add(server);
    server.descendants().forEach(all::add);
    return all;
  }

  @Override
  public void close() {
    remove();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; remove() is idempotent.
    }
  }

  private void remove() {
    if (closed.compareAndSet(false, true)) {
      run("remove", dir);
    }
  }

  private static void run(String command, Path dir) {
    try {
      Process p =
          new ProcessBuilder(SCRIPT.toString(), command, dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        System.err.println("thaw bench: " + SCRIPT + " " + command + " " + dir + " hung");
      }
    } catch (IOException e) {
      System.err.println("thaw bench: could not " + command + " MLflow in " + dir + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
