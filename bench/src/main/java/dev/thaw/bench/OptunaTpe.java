package dev.thaw.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.json.ThawJson;
import dev.thaw.sweep.space.Point;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Search-efficiency's reference row: Optuna's {@code TPESampler} (defaults, seeded) on the same
 * objective, seeds, trial limit and observation noise, run by {@code
 * bench/search-efficiency/optuna_tpe.py} in the benchmarks' virtualenv ({@code bench/python-env.sh
 * optuna} makes it). The script re-states the objective; it is checked against {@link
 * SearchEfficiency#accuracy(Point)} on a few configurations before anything runs.
 */
final class OptunaTpe {
  private static final Path SCRIPT = Path.of("bench/search-efficiency/optuna_tpe.py");
  private static final Pattern SEED_LINE = Pattern.compile("seed (\\d+) trials (-?\\d+)");
  private static final Pattern VERSION_LINE = Pattern.compile("optuna (\\S+)");

  /** Trials to the target per seed ({@code -1}: missed), and the Optuna version that ran. */
  record Result(Map<Integer, Integer> trialsBySeed, String version) {}

  private OptunaTpe() {}

  static Result run(List<Integer> seeds, double target, int maxTrials, List<Point> checks)
      throws IOException, InterruptedException {
    Path python =
        BenchPython.forScript(SCRIPT, "with optuna (bench/python-env.sh optuna makes it)");
    Path job = Files.createTempFile("thaw-optuna-tpe", ".json");
    try {
      Files.writeString(
          job, ThawJson.mapper().writeValueAsString(job(seeds, target, maxTrials, checks)));
      Process p =
          new ProcessBuilder(python.toString(), SCRIPT.toString(), job.toString())
              .redirectErrorStream(true)
              .start();
      Map<Integer, Integer> trials = new HashMap<>();
      String version = null;
      List<String> output = new ArrayList<>();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          output.add(line);
          Matcher m = SEED_LINE.matcher(line);
          if (m.matches()) {
            trials.put(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
          }
          Matcher v = VERSION_LINE.matcher(line);
          if (v.matches()) {
            version = v.group(1);
          }
        }
      }
      if (p.waitFor() != 0 || version == null || !trials.keySet().containsAll(seeds)) {
        throw new IOException(
            SCRIPT + " failed (exit " + p.exitValue() + "): " + String.join("\n", output));
      }
      return new Result(trials, version);
    } finally {
      Files.deleteIfExists(job);
    }
  }

  private static ObjectNode job(
      List<Integer> seeds, double target, int maxTrials, List<Point> checks) {
    ObjectNode job = ThawJson.mapper().createObjectNode();
    job.put("target", target);
    job.put("max_trials", maxTrials);
    ArrayNode seedList = job.putArray("seeds");
    ObjectNode noise = job.putObject("noise");
    for (int seed : seeds) {
      seedList.add(seed);
      ArrayNode n = noise.putArray(Integer.toString(seed));
      for (int trial = 1; trial <= maxTrials; trial++) {
        n.add(SearchEfficiency.noise(seed, trial));
      }
    }
    ArrayNode checkList = job.putArray("checks");
    for (Point p : checks) {
      ObjectNode c = checkList.addObject();
      ObjectNode config = c.putObject("config");
      config.put("freeze_depth", (int) p.number("freeze_depth"));
      config.put("lr_head", p.number("lr_head"));
      config.put("lr_backbone", p.number("lr_backbone"));
      config.put("dropout", p.number("dropout"));
      config.put("batch_size", p.get("batch_size").intValue());
      c.put("accuracy", SearchEfficiency.accuracy(p));
    }
    return job;
  }
}
