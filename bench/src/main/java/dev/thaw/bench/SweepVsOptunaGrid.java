package dev.thaw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.trial.BackboneLearningRates;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The sweep both sides of {@code sweep-vs-optuna} run: freeze depth x head rate x the top of the
 * backbone's learning-rate slice on the ImageNet MobileNetV2, every other hyperparameter fixed. It
 * gives Thaw its sweep file, the Optuna study its list of configurations (in the same order as the
 * grid's dimensions, freeze depth first), and maps a Thaw trial's parameters back to its
 * configuration.
 *
 * @param freezeDepths frozen groups, {@link #GROUPS} meaning all (head only)
 * @param headRates the head's learning rates
 * @param sliceLo the slice's rate at g0, fixed
 * @param sliceHis the slice's rate at g8
 * @param epochs epochs of every trial
 * @param labelsPerClass labelled Fashion-MNIST training images per class
 * @param validationFraction share of each class that validates
 * @param inputSize side of the square input
 * @param seed the sweep's seed: it splits the data and seeds trial i with seed + i
 */
record SweepVsOptunaGrid(
    List<Integer> freezeDepths,
    List<Double> headRates,
    double sliceLo,
    List<Double> sliceHis,
    int epochs,
    int labelsPerClass,
    double validationFraction,
    int inputSize,
    long seed) {
  static final String SOURCE = "zoo:mobilenet_v2";
  static final String TARGET = "fashion-mnist";

  /** MobileNetV2's layer groups in Thaw (stem, seven bottleneck stages, the last 1x1 conv). */
  static final int GROUPS = 9;

  static final int BATCH_SIZE = 32;
  static final double DROPOUT = 0.2;

  /** One trial's searched values. */
  record Config(int freezeDepth, double lrHead, double sliceLo, double sliceHi) {
    /**
     * The rate of each group g0..g8, as Thaw resolves the slice ({@link BackboneLearningRates}).
     */
    double[] groupRates() {
      return new BackboneLearningRates.Slice(sliceLo, sliceHi).resolve(GROUPS, lrHead);
    }

    /** {@code fd=all head=1e-3 slice=1e-5..3e-4}. */
    String label() {
      return String.format(
          Locale.ROOT,
          "fd=%s head=%s slice=%s..%s",
          freezeDepth == GROUPS ? "all" : Integer.toString(freezeDepth),
          rate(lrHead),
          rate(sliceLo),
          rate(sliceHi));
    }

    /**
     * The configuration of a Thaw trial, from its parameters as the orchestrator shows them ({@code
     * freeze_depth}, {@code lr_head}, {@code lr_backbone.slice.lo}, {@code lr_backbone.slice.hi};
     * {@code freeze_depth} may read {@code all}).
     */
    static Config fromParams(JsonNode params) {
      JsonNode depth = params.path("freeze_depth");
      int k = "all".equals(depth.asText()) ? GROUPS : depth.asInt(-1);
      for (String key :
          List.of("freeze_depth", "lr_head", "lr_backbone.slice.lo", "lr_backbone.slice.hi")) {
        if (!params.has(key)) {
          throw new IllegalArgumentException("trial parameters without " + key + ": " + params);
        }
      }
      return new Config(
          k,
          params.get("lr_head").asDouble(),
          params.get("lr_backbone.slice.lo").asDouble(),
          params.get("lr_backbone.slice.hi").asDouble());
    }
  }

  SweepVsOptunaGrid {
    freezeDepths = List.copyOf(freezeDepths);
    headRates = List.copyOf(headRates);
    sliceHis = List.copyOf(sliceHis);
  }

  /** The default: 3 x 2 x 2 = 12 trials of 3 epochs at 96 x 96, 5% of each class validating. */
  static SweepVsOptunaGrid standard() {
    return new SweepVsOptunaGrid(
        List.of(GROUPS, 8, 6), List.of(1e-3, 3e-3), 1e-5, List.of(3e-4, 1e-3), 3, 100, 0.05, 96, 1);
  }

  /** Every configuration, freeze depth the slowest-changing, then head rate, then slice top. */
  List<Config> configs() {
    List<Config> all = new ArrayList<>();
    for (int k : freezeDepths) {
      for (double head : headRates) {
        for (double hi : sliceHis) {
          all.add(new Config(k, head, sliceLo, hi));
        }
      }
    }
    return all;
  }

  /**
   * Thaw's sweep file: a grid over the same values, no early stopping that could fire (patience
   * equal to the epochs), no MLflow section (the orchestrator's server, if it has one).
   */
  String yaml(String name) {
    return """
        name: %s
        objective: {metric: val_accuracy, goal: maximize}
        method: grid
        seed: %d
        retries: 0
        parameters:
          freeze_depth: {values: [%s]}
          lr_head: {values: [%s]}
          lr_backbone:
            slice:
              lo: {value: %s}
              hi: {values: [%s]}
          optimizer: {value: adam}
          epochs: {value: %d}
          batch_size: {value: %d}
          dropout: {value: %s}
          input_size: {value: %d}
        early_stopping: {monitor: val_accuracy, patience: %d}
        task:
          source_model: %s
          target: {dataset: %s, labels_per_class: %d, validation_fraction: %s}
        """
        .formatted(
            name,
            seed,
            join(freezeDepths.stream().map(String::valueOf).toList()),
            join(headRates.stream().map(SweepVsOptunaGrid::rate).toList()),
            rate(sliceLo),
            join(sliceHis.stream().map(SweepVsOptunaGrid::rate).toList()),
            epochs,
            BATCH_SIZE,
            DROPOUT,
            inputSize,
            epochs,
            SOURCE,
            TARGET,
            labelsPerClass,
            validationFraction);
  }

  /** {@code 0.001} as {@code 1e-3}, {@code 0.0003} as {@code 3e-4}. */
  static String rate(double r) {
    String s = String.format(Locale.ROOT, "%.0e", r);
    if (Double.parseDouble(s) != r) {
      s = Double.toString(r);
    }
    return s.replace("e-0", "e-").replace("e+00", "");
  }

  private static String join(List<String> values) {
    return values.stream().collect(Collectors.joining(", "));
  }
}
