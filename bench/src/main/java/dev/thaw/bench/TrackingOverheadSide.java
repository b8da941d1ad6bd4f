package dev.thaw.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One side of {@link TrackingOverhead}: a {@link TrackingOverheadWorker} process pinned to a core,
 * told when to start each trial, and the trials it reported.
 */
final class TrackingOverheadSide {
  /**
   * One trial as its worker measured it.
   *
   * @param seconds wall time, lease to the end of its reporting and of its tracking
   * @param trackingCpu CPU seconds of the worker's tracking threads so far (cumulative)
   * @param reportedSeconds wall time, lease to the end of its reporting (its tracking may go on)
   * @param trackingCpuAtReport CPU seconds of the worker's tracking threads at the report
   */
  record Trial(
      double seconds, double trackingCpu, double reportedSeconds, double trackingCpuAtReport) {

    /**
     * What the trial costs a worker that takes its next trial at once, as workers do: lease to
     * report, plus the CPU its tracking threads spend after the report (on a one-core worker that
     * CPU is taken from the next trial's training; their waits for the server are not).
     */
    double backToBackSeconds() {
      return reportedSeconds + (trackingCpu - trackingCpuAtReport);
    }
  }

  private final String name;
  private final Process process;
  private final BufferedReader out;
  private final PrintStream in;
  private final Map<Integer, Trial> trials = new HashMap<>();

  private TrackingOverheadSide(String name, Process process) {
    this.name = name;
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  /** {@code a} or {@code b}. */
  String name() {
    return name;
  }

  /** The worker's process. */
  Process process() {
    return process;
  }

  /** Trial {@code n} as the worker reported it. */
  Trial trial(int n) {
    return trials.get(n);
  }

  /**
   * Starts a worker JVM pinned to {@code core}, with this JVM's options but PyTorch on one thread.
   *
   * @param args the worker's arguments after its side
   */
  static TrackingOverheadSide launch(String name, int core, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("taskset");
    command.add("-c");
    command.add(Integer.toString(core));
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!option.startsWith("-Dai.djl.pytorch.num_")) {
        command.add(option);
      }
    }
    command.add("-Dai.djl.pytorch.num_threads=1");
    command.add("-Dai.djl.pytorch.num_interop_threads=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TrackingOverheadWorker.class.getName());
    command.add(name);
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new TrackingOverheadSide(name, process);
  }

  /** Reads the worker's lines up to its {@code ready} for trial {@code n}. */
  void awaitReady(int n) throws IOException {
    String expected = "-" + n;
    for (String line = next();
        !(line.startsWith("ready ") && line.endsWith(expected));
        line = next()) {
      if (!line.startsWith("trial ")) {
        throw new IOException(
            name + " worker: expected it to be ready for pair " + n + ", got '" + line + "'");
      }
    }
  }

  void go() {
    in.println("go");
  }

  /** Reads the worker's last lines and waits for it to end. */
  void awaitExit() throws IOException, InterruptedException {
    for (String line = next(); !line.startsWith("exit "); line = next()) {
      if (!line.startsWith("trial ")) {
        throw new IOException(name + " worker: unexpected line '" + line + "'");
      }
    }
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(name + " worker did not end cleanly");
    }
  }

  private String next() throws IOException {
    String line = out.readLine();
    if (line == null) {
      throw new IOException(
          name + " worker ended early; see its messages above (exit " + exitCode() + ")");
    }
    if (line.startsWith("trial ")) {
      String[] f = line.split(" ");
      int n = Integer.parseInt(f[1].substring(f[1].lastIndexOf('-') + 1));
      trials.put(
          n,
          new Trial(
              Double.parseDouble(f[2]),
              Double.parseDouble(f[4]),
              Double.parseDouble(f[5]),
              Double.parseDouble(f[6])));
      System.err.printf(Locale.ROOT, "  %s: %s s (cpu %s s)%n", f[1], f[2], f[3]);
    }
    return line;
  }

  private String exitCode() {
    try {
      return process.waitFor(10, TimeUnit.SECONDS)
          ? Integer.toString(process.exitValue())
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
