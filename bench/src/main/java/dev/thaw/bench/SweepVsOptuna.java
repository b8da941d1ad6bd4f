package dev.thaw.bench;

import dev.thaw.bench.SweepVsOptunaGrid.Config;
import dev.thaw.model.zoo.ZooSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark {@code sweep-vs-optuna}: the same sweep of fine-tuning trials on the ImageNet
 * MobileNetV2 ({@link SweepVsOptunaGrid}: freeze depth x head rate x backbone slice, 12 trials by
 * default) run end to end by Thaw ({@link SweepVsOptunaThaw}: the packaged orchestrator and one
 * {@code thaw worker} with its feature cache on) and by an Optuna study in PyTorch eager mode
 * ({@link SweepVsOptunaPython}), one after the other on the same data (exported from Java and
 * checked by digest on the Python side), 2 intra-op threads and 1 inter-op thread on both. Prints a
 * row per configuration with both sides' best-epoch validation accuracy and seconds, each side's
 * wall time and best accuracy, the other processes' CPU, and last {@code thaw_vs_optuna_wall:
 * <Thaw's wall from submission to the sweep's end / the Optuna study's wall>}.
 *
 * <p>Arguments, {@code key=value}: {@code epochs=3}, {@code freeze-depths=9,8,6}, {@code
 * head-rates=1e-3,3e-3}, {@code slice-his=3e-4,1e-3}, {@code labels-per-class=100}, {@code
 * validation-fraction=0.05}, {@code input-size=96}, {@code threads=2}; fewer values make a
 * development run.
 */
public final class SweepVsOptuna {
  private SweepVsOptuna() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        usage("not key=value: " + arg);
      }
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    SweepVsOptunaGrid d = SweepVsOptunaGrid.standard();
    SweepVsOptunaGrid grid =
        new SweepVsOptunaGrid(
            ints(a.remove("freeze-depths"), d.freezeDepths()),
            doubles(a.remove("head-rates"), d.headRates()),
            d.sliceLo(),
            doubles(a.remove("slice-his"), d.sliceHis()),
            Integer.parseInt(a.getOrDefault("epochs", "" + d.epochs())),
            Integer.parseInt(a.getOrDefault("labels-per-class", "" + d.labelsPerClass())),
            Double.parseDouble(a.getOrDefault("validation-fraction", "" + d.validationFraction())),
            Integer.parseInt(a.getOrDefault("input-size", "" + d.inputSize())),
            d.seed());
    int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
    a.keySet()
        .removeAll(
            List.of("epochs", "labels-per-class", "validation-fraction", "input-size", "threads"));
    if (!a.isEmpty()) {
      usage("unknown arguments " + a.keySet());
    }
    ZooSource.MOBILENET_V2.weights().verifiedPath();
    List<Config> configs = grid.configs();

    try (ScratchDir data = new ScratchDir("thaw-bench-sweep-vs-optuna-data.")) {
      SweepVsOptunaPython.Export export = SweepVsOptunaPython.export(grid, data.path());
      System.out.printf(
          Locale.ROOT,
          "sweep: %d trials, freeze_depth %s x lr_head %s x lr_backbone slice %s..%s (g0..g8);"
              + " source %s, 9 layer groups%n",
          configs.size(),
          grid.freezeDepths().stream().map(k -> k == 9 ? "all" : "" + k).toList(),
          grid.headRates().stream().map(SweepVsOptunaGrid::rate).toList(),
          SweepVsOptunaGrid.rate(grid.sliceLo()),
          grid.sliceHis().stream().map(SweepVsOptunaGrid::rate).toList(),
          SweepVsOptunaGrid.SOURCE);
      System.out.printf(
          Locale.ROOT,
          "data: %s, %d labels per class (%d training images), %s of each class validating (%d"
              + " images), 3x%dx%d, split seed %d; exported from Java as .npy, checked by SHA-256"
              + " in Python%n",
          SweepVsOptunaGrid.TARGET,
          grid.labelsPerClass(),
          export.trainImages(),
          percent(grid.validationFraction()),
          export.validationImages(),
          grid.inputSize(),
          grid.inputSize(),
          grid.seed());
      System.out.printf(
          Locale.ROOT,
          "every trial: %d epochs, batch %d, adam, dropout %s, trained groups' BatchNorm in"
              + " training mode, frozen groups' in eval mode, no augmentation, no early stopping;"
              + " value = best epoch's val accuracy; %d intra-op threads, 1 inter-op; one trial at"
              + " a time%n",
          grid.epochs(),
          SweepVsOptunaGrid.BATCH_SIZE,
          SweepVsOptunaGrid.DROPOUT,
          threads);

      // This JVM and its children (the launchers, the orchestrator, the worker, Python).
      List<Long> own = List.of(ProcessHandle.current().pid());
      SweepVsOptunaThaw.Result thaw =
          SweepVsOptunaThaw.run(grid, threads, new OtherProcessesCpu(own));
      SweepVsOptunaPython.Result optuna =
          SweepVsOptunaPython.run(
              SweepVsOptunaPython.job(grid, export, threads),
              data.path(),
              new OtherProcessesCpu(own));
      print(configs, thaw, optuna);
    }
  }

  private static void print(
      List<Config> configs, SweepVsOptunaThaw.Result thaw, SweepVsOptunaPython.Result optuna) {
    Map<Config, SweepVsOptunaThaw.Trial> t = new HashMap<>();
    thaw.trials().forEach(x -> t.put(x.config(), x));
    Map<Config, SweepVsOptunaPython.Trial> o = new HashMap<>();
    optuna.trials().forEach(x -> o.put(x.config(), x));
    System.out.printf(
        Locale.ROOT,
        "optuna %s (TPESampler, every trial enqueued), torch %s, torchvision %s, %d threads, %d"
            + " inter-op%n",
        optuna.versions().path("optuna").asText(),
        optuna.versions().path("torch").asText(),
        optuna.versions().path("torchvision").asText(),
        optuna.versions().path("threads").asInt(),
        optuna.versions().path("interop_threads").asInt());
    System.out.printf(
        Locale.ROOT,
        "%-36s | %5s %8s %5s %8s %8s | %5s %8s %5s %8s%n",
        "config",
        "thaw#",
        "val_acc",
        "best",
        "seconds",
        "cache",
        "opt#",
        "val_acc",
        "best",
        "seconds");
    List<Config> missing = new ArrayList<>();
    for (Config c : configs) {
      SweepVsOptunaThaw.Trial a = t.get(c);
      SweepVsOptunaPython.Trial b = o.get(c);
      if (a == null || b == null) {
        missing.add(c);
      }
      System.out.printf(
          Locale.ROOT,
          "%-36s | %5s %7s %5s %8s %8s | %5s %7s %5s %8s%n",
          c.label(),
          a == null ? "-" : "" + a.number(),
          a == null ? "-" : pct(a.valAccuracy()),
          a == null ? "-" : "" + a.bestEpoch(),
          a == null ? "-" : String.format(Locale.ROOT, "%.1f", a.seconds()),
          a == null ? "-" : a.cache(),
          b == null ? "-" : "" + b.number(),
          b == null ? "-" : pct(b.valAccuracy()),
          b == null ? "-" : "" + b.bestEpoch(),
          b == null ? "-" : String.format(Locale.ROOT, "%.1f", b.seconds()));
    }
    System.out.println(
        "cache: the worker's feature-cache lookups of the trial, hits/partial/misses (two per"
            + " cached stage: training and validation images)");
    SweepVsOptunaThaw.Trial thawBest =
        thaw.trials().stream()
            .max(Comparator.comparingDouble(SweepVsOptunaThaw.Trial::valAccuracy))
            .orElseThrow();
    SweepVsOptunaPython.Trial optunaBest =
        optuna.trials().stream()
            .max(Comparator.comparingDouble(SweepVsOptunaPython.Trial::valAccuracy))
            .orElseThrow();
    System.out.printf(
        Locale.ROOT,
        "thaw:   %d trials (sweep %s), wall %.1f s from submission to the sweep's end (%.1f s with"
            + " starting the orchestrator and the worker, %.1f s), best %s (%s)%n",
        thaw.trials().size(),
        thaw.state(),
        thaw.sweepSeconds(),
        thaw.startupSeconds() + thaw.sweepSeconds(),
        thaw.startupSeconds(),
        pct(thawBest.valAccuracy()),
        thawBest.config().label());
    System.out.printf(
        Locale.ROOT,
        "optuna: %d trials, wall %.1f s from creating the study to its end (%.1f s with starting"
            + " Python, importing and reading the data), best %s (%s)%n",
        optuna.trials().size(),
        optuna.studySeconds(),
        optuna.processSeconds(),
        pct(optunaBest.valAccuracy()),
        optunaBest.config().label());
    System.out.printf(
        Locale.ROOT,
        "best accuracy, thaw - optuna: %+.2f pp; wall with start-up, thaw / optuna: %.3f%n",
        100 * (thawBest.valAccuracy() - optunaBest.valAccuracy()),
        (thaw.startupSeconds() + thaw.sweepSeconds()) / optuna.processSeconds());
    System.out.printf(
        Locale.ROOT,
        "other processes used %.2f cores on average during Thaw's run, %.2f during Optuna's (of"
            + " %d)%n",
        thaw.otherCores(),
        optuna.otherCores(),
        Runtime.getRuntime().availableProcessors());
    if (!missing.isEmpty()) {
      System.out.println("configurations without a result on one side: " + missing);
    }
    System.out.printf(
        Locale.ROOT, "thaw_vs_optuna_wall: %.3f%n", thaw.sweepSeconds() / optuna.studySeconds());
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%s%%", SweepVsOptunaGrid.rate(100 * fraction));
  }

  private static List<Integer> ints(String s, List<Integer> dflt) {
    return s == null
        ? dflt
        : Arrays.stream(s.split(","))
            .map(v -> "all".equals(v.strip()) ? 9 : Integer.parseInt(v.strip()))
            .toList();
  }

  private static List<Double> doubles(String s, List<Double> dflt) {
    return s == null
        ? dflt
        : Arrays.stream(s.split(",")).map(v -> Double.parseDouble(v.strip())).toList();
  }

  private static void usage(String problem) {
    System.err.println("thaw bench sweep-vs-optuna: " + problem);
    System.err.println(
        "usage: ./thaw bench sweep-vs-optuna [epochs=3] [freeze-depths=all,8,6]"
            + " [head-rates=1e-3,3e-3] [slice-his=3e-4,1e-3] [labels-per-class=100]"
            + " [validation-fraction=0.05] [input-size=96] [threads=2]");
    System.exit(2);
  }
}
