package dev.thaw.train;

import ai.djl.ndarray.types.Shape;
import dev.thaw.inputs.InputPolicy;
import dev.thaw.model.ModelMetadata;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.SourceModels;
import dev.thaw.task.DatasetException;
import dev.thaw.task.InputRefusedException;
import dev.thaw.trial.InvalidTrialSpecException;
import dev.thaw.trial.TrialSpec;
import dev.thaw.trial.TrialSpecValidator;
import java.util.ArrayList;
import java.util.List;

/**
 * What is checked before a trial reads anything: its spec against its source model's layer groups
 * and smallest input, and its data and model locations against the input policy; and the input
 * shape the backbone will see.
 */
final class TrialPreflight {
  private TrialPreflight() {}

  /**
   * Resolves the spec against its source model and throws if it cannot run, or if it names a data
   * folder or source model {@code policy} refuses (checked before anything is read).
   */
  static ModelMetadata check(TrialSpec spec, String origin, InputPolicy policy) {
    List<String> errors = new ArrayList<>(TrialSpecValidator.errors(spec, -1));
    List<String> refused = new ArrayList<>();
    if (spec.target() != null && spec.target().dataset() != null) {
      try {
        policy.dataset("target.dataset", spec.target().dataset());
      } catch (InputRefusedException e) {
        refused.add(e.getMessage());
      } catch (DatasetException e) {
        // not a dataset reference: reported when the data loads, as before
      }
    }
    SourceModelRef ref = null;
    ModelMetadata meta = null;
    if (spec.sourceModel() != null && !spec.sourceModel().isBlank()) {
      try {
        ref = policy.sourceModel("source_model", spec.sourceModel());
        meta = SourceModels.describe(ref);
      } catch (InputRefusedException e) {
        refused.add(e.getMessage());
      } catch (RuntimeException e) {
        errors.add("source_model: " + e.getMessage());
      }
    }
    if (meta != null && meta.layerGroups() != null) {
      errors = new ArrayList<>(TrialSpecValidator.errors(spec, meta.layerGroups().size()));
    }
    errors.addAll(refused);
    if (meta != null && spec.inputSize() != null) {
      int min = SourceModels.minInputSize(ref);
      if (spec.inputSize() >= 1 && spec.inputSize() < min) {
        errors.add(
            "input_size: "
                + spec.inputSize()
                + " is too small for "
                + spec.sourceModel()
                + ", which needs at least "
                + min
                + " pixels"
                + (ref instanceof SourceModelRef.Zoo
                    ? " (it downsamples 32-fold; it was trained at 224)"
                    : ""));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidTrialSpecException(origin, errors);
    }
    return meta;
  }

  /**
   * The backbone's input (C, H, W): the source model's, else 3 x 224 x 224; a trial's {@code
   * input_size} replaces height and width. A text encoder's is (2, L): token ids and attention
   * mask, L the trial's {@code target.max_length} or the encoder's default.
   */
  static Shape inputShape(TrialSpec spec, ModelMetadata meta) {
    if (meta != null && meta.inputShape() != null && meta.inputShape().size() == 2) {
      Integer max = spec.target() == null ? null : spec.target().maxLength();
      return new Shape(2, max != null ? max : meta.inputShape().get(1));
    }
    List<Integer> s =
        meta != null && meta.inputShape() != null ? meta.inputShape() : List.of(3, 224, 224);
    long side = spec.inputSize() == null ? -1 : spec.inputSize();
    return new Shape(s.get(0), side > 0 ? side : s.get(1), side > 0 ? side : s.get(2));
  }
}
