package dev.thaw.worker;

import static dev.thaw.trial.ParameterName.AUGMENTATION;
import static dev.thaw.trial.ParameterName.BATCH_NORM;
import static dev.thaw.trial.ParameterName.BATCH_SIZE;
import static dev.thaw.trial.ParameterName.DROPOUT;
import static dev.thaw.trial.ParameterName.EPOCHS;
import static dev.thaw.trial.ParameterName.FREEZE_DEPTH;
import static dev.thaw.trial.ParameterName.INPUT_SIZE;
import static dev.thaw.trial.ParameterName.LR_BACKBONE;
import static dev.thaw.trial.ParameterName.LR_HEAD;
import static dev.thaw.trial.ParameterName.LR_SCHEDULE;
import static dev.thaw.trial.ParameterName.MOMENTUM;
import static dev.thaw.trial.ParameterName.OPTIMIZER;
import static dev.thaw.trial.ParameterName.UNFREEZE_EVERY;
import static dev.thaw.trial.ParameterName.WARMUP_EPOCHS;
import static dev.thaw.trial.ParameterName.WEIGHT_DECAY;

import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a trial attempt's MLflow run shows: its name, its flat params and its per-epoch metrics. */
final class TrialRunFields {
  private TrialRunFields() {}

  /** {@code fd=2 lr_head=3e-3 bs=64 do=0.2}: the values one compares trials by. */
  static String runName(TrialSpec spec) {
    List<String> parts = new ArrayList<>();
    parts.add("fd=" + spec.freezeDepth().groups());
    parts.add("lr_head=" + shortNumber(spec.learningRates().head()));
    if (spec.batchSize() != null) {
      parts.add("bs=" + spec.batchSize());
    }
    if (spec.dropout() != null) {
      parts.add("do=" + shortNumber(spec.dropout()));
    }
    return String.join(" ", parts);
  }

  /**
   * Every resolved hyperparameter, flat, so MLflow's compare plots can use each one. A sweep
   * parameter keeps its {@link dev.thaw.trial.ParameterName} key; the forms of lr_backbone other
   * than a single rate are spread over {@code lr_backbone_lo}, {@code lr_backbone_hi}, {@code
   * lr_backbone_g<i>}, {@code lr_backbone_decay} and {@code lr_backbone_top}.
   */
  static Map<String, String> params(TrialSpec spec) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("source_model", spec.sourceModel());
    p.put("dataset", spec.target().dataset());
    put(p, "labels_per_class", spec.target().labelsPerClass());
    put(p, "data_fraction", spec.target().dataFraction());
    put(p, "validation_fraction", spec.target().validationFraction());
    put(p, "max_length", spec.target().maxLength());
    put(p, "text_column", spec.target().textColumn());
    put(p, "label_column", spec.target().labelColumn());
    put(p, FREEZE_DEPTH.key(), spec.freezeDepth().groups());
    put(p, LR_HEAD.key(), spec.learningRates().head());
    switch (spec.learningRates().backbone()) {
      case BackboneLearningRates.Uniform u -> put(p, LR_BACKBONE.key(), u.rate());
      case BackboneLearningRates.Slice s -> {
        put(p, LR_BACKBONE.key() + "_lo", s.lo());
        put(p, LR_BACKBONE.key() + "_hi", s.hi());
      }
      case BackboneLearningRates.PerGroup g -> {
        for (int i = 0; i < g.rates().size(); i++) {
          put(p, LR_BACKBONE.key() + "_g" + i, g.rates().get(i));
        }
      }
      case BackboneLearningRates.Decay d -> {
        put(p, LR_BACKBONE.key() + "_decay", d.factor());
        put(p, LR_BACKBONE.key() + "_top", d.top());
      }
    }
    if (spec.optimizer() != null) {
      p.put(OPTIMIZER.key(), spec.optimizer().name().key());
      put(p, MOMENTUM.key(), spec.optimizer().momentum());
      put(p, WEIGHT_DECAY.key(), spec.optimizer().weightDecay());
    }
    put(p, BATCH_SIZE.key(), spec.batchSize());
    put(p, DROPOUT.key(), spec.dropout());
    put(p, EPOCHS.key(), spec.epochs());
    put(p, WARMUP_EPOCHS.key(), spec.warmupEpochs());
    if (spec.earlyStopping() != null) {
      p.put("early_stopping_monitor", spec.earlyStopping().monitor().key());
      put(p, "early_stopping_patience", spec.earlyStopping().patience());
      put(p, "early_stopping_min_delta", spec.earlyStopping().minDelta());
    }
    put(p, "seed", spec.seed());
    put(p, INPUT_SIZE.key(), spec.inputSize());
    p.put(AUGMENTATION.key(), spec.augmentationOrNone().key());
    p.put(BATCH_NORM.key(), spec.batchNormOrTrain().key());
    put(p, UNFREEZE_EVERY.key(), spec.unfreezeEvery());
    p.put(LR_SCHEDULE.key(), spec.lrScheduleOrConstant().key());
    return p;
  }

  /** One epoch's metrics by MLflow key, without the NaN and infinite ones MLflow refuses. */
  static Map<String, Double> metrics(EpochMetrics m) {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("train_loss", m.trainLoss());
    values.put("val_loss", m.valLoss());
    values.put("val_accuracy", m.valAccuracy());
    values.put("epoch_seconds", m.epochSeconds());
    values.put("samples_per_second", m.samplesPerSecond());
    values.values().removeIf(v -> v.isNaN() || v.isInfinite());
    return values;
  }

  /**
   * {@code thaw.feature_cache.hits}, {@code .partial_hits}, {@code .misses}, {@code .disk_reads},
   * {@code .bytes}, {@code .prefix_seconds}, {@code .cached_stages} and, when a stage ran uncached,
   * {@code .uncached} (why); nothing when the worker has no cache or the trial never finished
   * training.
   */
  static Map<String, String> featureCacheTags(FeatureCacheStats s) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (s == null || !s.enabled()) {
      return tags;
    }
    String p = "thaw.feature_cache.";
    tags.put(p + "hits", Integer.toString(s.hits()));
    tags.put(p + "partial_hits", Integer.toString(s.partialHits()));
    tags.put(p + "misses", Integer.toString(s.misses()));
    tags.put(p + "disk_reads", Integer.toString(s.diskReads()));
    tags.put(p + "bytes", Long.toString(s.bytes()));
    tags.put(p + "prefix_seconds", String.format(Locale.ROOT, "%.3f", s.prefixSeconds()));
    tags.put(p + "cached_stages", Integer.toString(s.cachedStages()));
    if (!s.uncached().isEmpty()) {
      String why = String.join("; ", s.uncached());
      tags.put(p + "uncached", why.length() > 5000 ? why.substring(0, 5000) : why);
    }
    return tags;
  }

  private static void put(Map<String, String> p, String key, Object value) {
    if (value != null) {
      p.put(key, value.toString());
    }
  }

  private static String shortNumber(Double value) {
    if (value == null) {
      return "-";
    }
    double v = value;
    if (v != 0 && (Math.abs(v) < 0.01 || Math.abs(v) >= 1e4)) {
      String s = String.format(Locale.ROOT, "%.0e", v);
      return s.replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
    }
    return String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+$", "");
  }
}
