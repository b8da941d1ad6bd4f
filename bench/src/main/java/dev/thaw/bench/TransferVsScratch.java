package dev.thaw.bench;

import ai.djl.Device;
import dev.thaw.train.FineTuner;
import dev.thaw.train.TrialObserver;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark {@code transfer-vs-scratch}: the same architecture and budget on MNIST with 100 labels
 * per class, once fine-tuned from the Fashion-MNIST[0-4] source model and once trained from
 * scratch, over several seeds. Last line: {@code transfer_gain_pp: <points>}.
 */
public final class TransferVsScratch {
  private TransferVsScratch() {}

  public static void main(String[] args) throws Exception {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int labels = 100;
    Path runs = Files.createTempDirectory("thaw-bench-runs");
    FineTuner tuner = new FineTuner(Device.cpu(), runs);
    PretrainedSource source = PretrainedSource.ensure(tuner);
    System.out.println(source.describe());
    System.out.printf(
        Locale.ROOT,
        "target: mnist, %d labels per class, %d epochs, batch 32, adam, early stopping off%n",
        labels,
        epochs);
    System.out.printf(Locale.ROOT, "%-6s %-10s %10s %10s%n", "seed", "model", "val_acc", "seconds");
    List<Double> gains = new ArrayList<>();
    double sumT = 0;
    double sumS = 0;
    for (int seed = 1; seed <= seeds; seed++) {
      TrialResult transfer =
          tuner.run(
              spec("transfer-" + seed, source.dir().toString(), seed, labels, epochs),
              TrialObserver.NONE);
      TrialResult scratch =
          tuner.run(
              spec(
                  "scratch-" + seed,
                  "scratch:" + source.metadata().architecture(),
                  seed,
                  labels,
                  epochs),
              TrialObserver.NONE);
      double t = BenchTrials.bestValAccuracy(transfer);
      double s = BenchTrials.bestValAccuracy(scratch);
      System.out.printf(
          Locale.ROOT,
          "%-6d %-10s %9.2f%% %10.1f%n",
          seed,
          "transfer",
          100 * t,
          transfer.wallSeconds());
      System.out.printf(
          Locale.ROOT,
          "%-6d %-10s %9.2f%% %10.1f%n",
          seed,
          "scratch",
          100 * s,
          scratch.wallSeconds());
      gains.add(100 * (t - s));
      sumT += t;
      sumS += s;
    }
    System.out.printf(
        Locale.ROOT,
        "mean val_acc: transfer %.2f%%, scratch %.2f%% over %d seeds%n",
        100 * sumT / seeds,
        100 * sumS / seeds,
        seeds);
    System.out.printf(
        Locale.ROOT,
        "transfer_gain_pp: %.2f%n",
        gains.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
  }

  /** Same budget and optimizer for both: only the starting weights differ. */
  private static TrialSpec spec(String id, String source, long seed, int labels, int epochs) {
    return BenchTrials.spec(id, source, "mnist", 0, labels, epochs, seed);
  }
}
