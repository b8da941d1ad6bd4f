package dev.thaw.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A throwaway PostgreSQL server from {@code scripts/test-postgres} (a fresh cluster under /tmp on
 * 127.0.0.1 and a free port, with {@code fsync} and {@code synchronous_commit} off). It is stopped
 * and its directory removed by {@link #close()}, and by a shutdown hook if the JVM ends first.
 */
final class ThrowawayPostgres implements AutoCloseable {
  private static final Path SCRIPT = Path.of("scripts/test-postgres");

  private final Path dir;
  private final String url;
  private final String user;
  private final String password;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread hook = new Thread(this::stop, "stop-test-postgres");

  private ThrowawayPostgres(Path dir, Map<String, String> exports) {
    this.dir = dir;
    this.url = required(exports, "THAW_TEST_PG_URL");
    this.user = required(exports, "THAW_TEST_PG_USER");
    this.password = required(exports, "THAW_TEST_PG_PASSWORD");
  }

  /** Whether the server binaries are installed ({@code scripts/test-postgres available}). */
  static boolean available() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(SCRIPT.toString(), "available")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return p.waitFor() == 0;
  }

  /** Starts a new server; its messages go to this process's stderr. */
  static ThrowawayPostgres start() throws IOException, InterruptedException {
    // Under /tmp: as root the server runs as 'postgres', which must reach the directory.
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "thaw-bench-pg.");
    Process p =
        new ProcessBuilder(SCRIPT.toString(), "start", dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      runStop(dir);
      throw new IOException(
          SCRIPT + " start " + dir + " failed (exit " + exitOf(p) + "); see its messages above");
    }
    ThrowawayPostgres pg = new ThrowawayPostgres(dir, parseExports(out));
    Runtime.getRuntime().addShutdownHook(pg.hook);
    return pg;
  }

  String url() {
    return url;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  /** The postmaster's process id (its children serve the connections), or -1 if unknown. */
  long serverPid() {
    try {
      return Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).strip());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; stop() is idempotent.
    }
  }

  private void stop() {
    if (closed.compareAndSet(false, true)) {
      runStop(dir);
    }
  }

  private static void runStop(Path dir) {
    try {
      Process p =
          new ProcessBuilder(SCRIPT.toString(), "stop", dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        System.err.println("lease-throughput: " + SCRIPT + " stop " + dir + " did not end in 60 s");
      }
    } catch (IOException e) {
      System.err.println("lease-throughput: could not stop PostgreSQL in " + dir + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reads the {@code export NAME=value} lines the script prints (values are plain or %q-quoted).
   */
  static Map<String, String> parseExports(String text) {
    Map<String, String> exports = new HashMap<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (!l.startsWith("export ") || !l.contains("=")) {
        continue;
      }
      String assignment = l.substring("export ".length());
      int eq = assignment.indexOf('=');
      String value = assignment.substring(eq + 1);
      if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
        value = value.substring(1, value.length() - 1);
      }
      exports.put(assignment.substring(0, eq), value.replace("\\", ""));
    }
    return exports;
  }

  private static String required(Map<String, String> exports, String name) {
    String v = exports.get(name);
    if (v == null) {
      throw new IllegalStateException(
          SCRIPT + " start printed no " + name + " line (got " + exports.keySet() + ")");
    }
    return v;
  }

  private static String exitOf(Process p) {
    return p.isAlive() ? "none, timed out after 120 s" : String.valueOf(p.exitValue());
  }
}
