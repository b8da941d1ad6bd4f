package dev.thaw.cli;

import dev.thaw.train.TrialObserver;
import dev.thaw.train.TrialPlan;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialResult;
import java.io.PrintStream;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints a trial as it runs: its plan, one table row per epoch, then the result. */
final class EpochTable implements TrialObserver {
  private final PrintStream out;

  EpochTable(PrintStream out) {
    this.out = out;
  }

  @Override
  public void started(TrialPlan plan) {
    var s = plan.spec();
    out.printf(
        Locale.ROOT,
        "trial %s  source=%s  target=%s (%d classes, %d train / %d validation)%n",
        s.idOrHash(),
        s.sourceModel(),
        s.target().dataset(),
        plan.targetClasses().size(),
        plan.trainExamples(),
        plan.validationExamples());
    StringBuilder groups = new StringBuilder();
    for (int i = 0; i < plan.groupNames().size(); i++) {
      groups.append(
          String.format(
              Locale.ROOT,
              " %s=%s",
              plan.groupNames().get(i),
              s.freezeDepth().freezes(i)
                  ? "frozen"
                  : String.format(Locale.ROOT, "%.1e", plan.groupRates().get(i))));
    }
    out.printf(
        Locale.ROOT,
        "freeze_depth=%d  lr:%s head=%.1e  %s  batch=%d dropout=%.2f  epochs=%d+%d warm-up  device=%s%n",
        s.freezeDepth().groups(),
        groups,
        s.learningRates().head(),
        s.optimizer().name().key(),
        s.batchSize(),
        s.dropout(),
        s.epochs(),
        s.warmupEpochs(),
        plan.device());
    out.printf(
        Locale.ROOT,
        "%5s  %-9s  %10s  %9s  %8s  %8s  %10s%n",
        "epoch",
        "stage",
        "train_loss",
        "val_loss",
        "val_acc",
        "seconds",
        "samples/s");
  }

  @Override
  public boolean epochFinished(EpochMetrics m) {
    out.printf(
        Locale.ROOT,
        "%5d  %-9s  %10.4f  %9.4f  %7.2f%%  %8.2f  %10.0f%n",
        m.epoch(),
        m.stage().key(),
        m.trainLoss(),
        m.valLoss(),
        100 * m.valAccuracy(),
        m.epochSeconds(),
        m.samplesPerSecond());
    out.flush();
    return true;
  }

  void finished(TrialResult r) {
    if (r.bestEpoch() == 0) {
      out.printf(
          Locale.ROOT,
          "%s was NaN in every epoch: the run diverged (try lower learning rates); last weights kept%n",
          r.monitor().key());
      out.println("weights: " + r.bestWeights());
      return;
    }
    out.printf(
        Locale.ROOT,
        "best %s=%.4f at epoch %d of %d%s; final val_acc=%.2f%% (%s weights); %.1f s%n",
        r.monitor().key(),
        r.bestValue(),
        r.bestEpoch(),
        r.epochsRun(),
        r.stoppedEarly() ? " (stopped early: " + r.stopReason() + ")" : "",
        100 * r.finalValAccuracy(),
        r.bestEpoch() == r.epochsRun() ? "last" : "best",
        r.wallSeconds());
    out.println("best weights: " + r.bestWeights());
    out.println("classes: " + r.targetClasses().stream().collect(Collectors.joining(", ")));
  }
}
