package dev.thaw.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A throwaway MLflow server from {@code scripts/mlflow-server} (the pinned MLflow in its
 * virtualenv, SQLite store and served artifacts under /tmp, 127.0.0.1 and a free port). Stopped and
 * its directory removed by {@link #close()}, and by a shutdown hook if the JVM ends first.
 *
 * <p>The server runs under the {@code SCHED_IDLE} scheduling policy ({@code chrt --idle 0}): it
 * gets a core only when nothing else wants it, and yields at once when a training thread wakes up.
 * In production the tracking server is another host; on these 2 shared cores its Python request
 * handling would otherwise be billed to the worker's training as tracking cost. ({@code nice -n
 * 19}, used before, still let it delay PyTorch's threads: a niced process keeps the core until the
 * scheduler's next tick.) It still gets every idle moment, so the spool drains; the benchmark
 * reports the CPU it used.
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
    Process p =
        new ProcessBuilder("chrt", "--idle", "0", SCRIPT.toString(), "start", dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
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
        System.err.println("tracking-overhead: " + SCRIPT + " " + command + " " + dir + " hung");
      }
    } catch (IOException e) {
      System.err.println(
          "tracking-overhead: could not " + command + " MLflow in " + dir + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
