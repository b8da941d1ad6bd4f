package dev.thaw.bench;

import dev.thaw.data.ThawPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Python of the benchmarks' virtualenv ({@code $THAW_CACHE/bench-venv}, made by {@code
 * bench/python-env.sh}), which runs the reference side of a benchmark from a script in {@code
 * bench/}.
 */
final class BenchPython {
  private BenchPython() {}

  /**
   * The virtualenv's python, checked to be there with {@code script}.
   *
   * @param provides what the virtualenv must hold and how it is made, for the message, e.g. {@code
   *     "with optuna (bench/python-env.sh optuna makes it)"}
   * @throws IOException naming both when either is missing
   */
  static Path forScript(Path script, String provides) throws IOException {
    Path python = ThawPaths.cacheDir().resolve("bench-venv/bin/python");
    if (!Files.isExecutable(python) || !Files.isRegularFile(script)) {
      throw new IOException("needs " + python + " " + provides + " and " + script.toAbsolutePath());
    }
    return python;
  }
}
