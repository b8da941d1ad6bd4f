package dev.thaw.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A new directory under /tmp, deleted with its contents by {@link #close()}, or by a shutdown hook
 * if the JVM ends first (Ctrl-C).
 */
final class ScratchDir implements AutoCloseable {
  private final Path path;
  private final AtomicBoolean deleted = new AtomicBoolean();
  private final Thread hook = new Thread(this::delete, "delete-scratch-dir");

  ScratchDir(String prefix) throws IOException {
    this.path = Files.createTempDirectory(Path.of("/tmp"), prefix);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    delete();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; delete() is idempotent.
    }
  }

  private void delete() {
    if (!deleted.compareAndSet(false, true) || !Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("thaw bench: could not delete " + path + ": " + e.getMessage());
    }
  }
}
