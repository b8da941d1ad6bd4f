package dev.thaw.orchestrator;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A program from a Debian package that a test runs for real (Prometheus, Chromium). Missing, the
 * test is skipped with a warning, except under {@code CI=true}, where it fails: CI ({@code
 * .ci/run}) installs the package, and nothing may silently skip there.
 */
public final class SystemTool {
  private SystemTool() {}

  /**
   * The program's path, found on the {@code PATH} (first of {@code names}); aborts or fails the
   * test when none is there.
   *
   * @param debianPackages what to install, for the message
   */
  public static Path require(String debianPackages, String... names) {
    Optional<Path> found = find(names);
    if (found.isPresent()) {
      return found.get();
    }
    String message =
        "no "
            + String.join(" or ", names)
            + " on the PATH: apt-get install "
            + debianPackages
            + " (.ci/run does)";
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail("CI=true but " + message);
    }
    System.err.println("warning: test skipped, " + message);
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /** The first of {@code names} on the {@code PATH}, if any. */
  public static Optional<Path> find(String... names) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String name : names) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** The repository's root (the parent of the module the tests run in). */
  public static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("dashboards")) ? here : here.getParent();
  }
}
