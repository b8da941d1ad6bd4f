package dev.thaw.trial;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a trial spec before any data is loaded or any weight moves, and reports every problem at
 * once, each naming the field, the value and what would be valid.
 */
public final class TrialSpecValidator {
  private TrialSpecValidator() {}

  /**
   * Validates the spec against a backbone of {@code groups} layer groups.
   *
   * @throws InvalidTrialSpecException listing every problem
   */
  public static void check(TrialSpec spec, int groups, String origin) {
    List<String> errors = errors(spec, groups);
    if (!errors.isEmpty()) {
      throw new InvalidTrialSpecException(origin, errors);
    }
  }

  /** The problems of the spec, empty when it can run; {@code groups < 0} skips group checks. */
  public static List<String> errors(TrialSpec spec, int groups) {
    List<String> errors = new ArrayList<>();
    if (spec.sourceModel() == null || spec.sourceModel().isBlank()) {
      errors.add("source_model: required (a model directory, scratch:thaw-cnn, a .pt file)");
    }
    if (spec.target() == null || spec.target().dataset() == null) {
      errors.add("target.dataset: required (e.g. mnist, fashion-mnist[5-9], folder:/data/pets)");
    } else {
      TargetSpec t = spec.target();
      if (!(t.validationFraction() > 0 && t.validationFraction() < 1)) {
        errors.add(
            "target.validation_fraction: must be in (0, 1) (got " + t.validationFraction() + ")");
      }
      if (t.labelsPerClass() != null && t.labelsPerClass() < 1) {
        errors.add("target.labels_per_class: must be >= 1 (got " + t.labelsPerClass() + ")");
      }
      if (!(t.dataFraction() > 0 && t.dataFraction() <= 1)) {
        errors.add("target.data_fraction: must be in (0, 1] (got " + t.dataFraction() + ")");
      }
      if (t.maxLength() != null && (t.maxLength() < 3 || t.maxLength() > 512)) {
        errors.add(
            "target.max_length: must be in [3, 512] tokens, [CLS] and [SEP] included (got "
                + t.maxLength()
                + ")");
      }
      String ref = t.dataset().strip();
      boolean table = ref.startsWith("csv:") || ref.startsWith("jsonl:");
      for (String[] c :
          new String[][] {{"text_column", t.textColumn()}, {"label_column", t.labelColumn()}}) {
        if (c[1] != null && !table) {
          errors.add(
              "target."
                  + c[0]
                  + ": only for csv: and jsonl: datasets (got "
                  + c[0]
                  + " '"
                  + c[1]
                  + "' with dataset '"
                  + t.dataset()
                  + "')");
        } else if (c[1] != null && c[1].isBlank()) {
          errors.add("target." + c[0] + ": must name a column (got '" + c[1] + "')");
        }
      }
      if (table && t.textColumnOrDefault().equals(t.labelColumnOrDefault())) {
        errors.add(
            "target.label_column: must differ from text_column (both '"
                + t.textColumnOrDefault()
                + "')");
      }
    }
    int frozen = spec.freezeDepth().groups();
    if (frozen < 0 || (groups >= 0 && frozen > groups)) {
      errors.add(
          "freeze_depth: must be in [0, "
              + (groups >= 0 ? groups : "n")
              + "] for this backbone of "
              + (groups >= 0 ? groups : "n")
              + " layer groups (got "
              + frozen
              + ")");
    }
    if (spec.unfreezeEvery() != null && spec.unfreezeEvery() < 1) {
      errors.add(
          "unfreeze_every: must be >= 1 epoch per newly unfrozen group (got "
              + spec.unfreezeEvery()
              + ")");
    }
    checkRate(errors, "learning_rates.head", spec.learningRates().head());
    checkBackbone(errors, spec.learningRates().backbone(), groups);
    OptimizerSpec o = spec.optimizer();
    if (o.weightDecay() < 0 || !Double.isFinite(o.weightDecay())) {
      errors.add("optimizer.weight_decay: must be >= 0 (got " + o.weightDecay() + ")");
    }
    if (o.momentum() < 0 || o.momentum() >= 1) {
      errors.add("optimizer.momentum: must be in [0, 1) (got " + o.momentum() + ")");
    }
    if (spec.batchSize() < 1) {
      errors.add("batch_size: must be >= 1 (got " + spec.batchSize() + ")");
    }
    if (!(spec.dropout() >= 0 && spec.dropout() < 1)) {
      errors.add("dropout: must be in [0, 1) (got " + spec.dropout() + ")");
    }
    if (spec.epochs() < 1) {
      errors.add("epochs: must be >= 1 (got " + spec.epochs() + ")");
    }
    if (spec.warmupEpochs() < 0) {
      errors.add("warmup_epochs: must be >= 0 (got " + spec.warmupEpochs() + ")");
    }
    if (spec.inputSize() != null && spec.inputSize() < 1) {
      errors.add("input_size: must be a whole number >= 1 (got " + spec.inputSize() + ")");
    }
    EarlyStoppingSpec es = spec.earlyStopping();
    if (es != null) {
      if (es.patience() < 1) {
        errors.add("early_stopping.patience: must be >= 1 (got " + es.patience() + ")");
      }
      if (es.minDelta() < 0) {
        errors.add("early_stopping.min_delta: must be >= 0 (got " + es.minDelta() + ")");
      }
    }
    return errors;
  }

  private static void checkBackbone(List<String> errors, BackboneLearningRates rates, int groups) {
    switch (rates) {
      case BackboneLearningRates.Uniform u ->
          checkRate(errors, "learning_rates.backbone", u.rate());
      case BackboneLearningRates.PerGroup p -> {
        if (groups >= 0 && p.rates().size() != groups) {
          errors.add(
              "learning_rates.backbone: has "
                  + p.rates().size()
                  + " rates but the backbone has "
                  + groups
                  + " layer groups");
        }
        for (int i = 0; i < p.rates().size(); i++) {
          checkRate(errors, "learning_rates.backbone[" + i + "]", p.rates().get(i));
        }
      }
      case BackboneLearningRates.Slice s -> {
        checkRate(errors, "learning_rates.backbone.slice[0]", s.lo());
        checkRate(errors, "learning_rates.backbone.slice[1]", s.hi());
        if (s.lo() > 0 && s.hi() > 0 && s.lo() > s.hi()) {
          errors.add(
              "learning_rates.backbone.slice: lo must be <= hi (got ["
                  + s.lo()
                  + ", "
                  + s.hi()
                  + "]); lower groups take the lower rate");
        }
      }
      case BackboneLearningRates.Decay d -> {
        if (!(d.factor() >= 1) || !Double.isFinite(d.factor())) {
          errors.add("learning_rates.backbone.decay: must be >= 1 (got " + d.factor() + ")");
        }
        if (d.top() != null) {
          checkRate(errors, "learning_rates.backbone.top", d.top());
        }
      }
    }
  }

  private static void checkRate(List<String> errors, String field, double rate) {
    if (!(rate > 0) || !Double.isFinite(rate)) {
      errors.add(field + ": must be a positive learning rate (got " + rate + ")");
    }
  }
}
