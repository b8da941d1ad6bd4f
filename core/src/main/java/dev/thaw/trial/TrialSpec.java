package dev.thaw.trial;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.thaw.json.ThawJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One fine-tuning trial with concrete hyperparameters: the contract between the orchestrator and a
 * worker, read and written as JSON with snake_case keys. Absent optional fields take their defaults
 * in the constructor, so a spec always holds the values it will run with. Code builds one by name
 * with {@link #builder}.
 *
 * @param id trial id (default: derived from the configuration hash)
 * @param sourceModel where the pretrained model comes from (see {@code SourceModelRef})
 * @param target the target dataset and its split
 * @param freezeDepth k in [0, n]: groups g0..g(k-1) stay frozen (default none); JSON: the integer k
 * @param learningRates head and backbone rates
 * @param optimizer adam, adamw or sgd, with weight decay
 * @param batchSize examples per step (default 64)
 * @param dropout dropout before the head, in [0, 1) (default 0)
 * @param epochs epochs of the fine-tuning stage (default 5)
 * @param warmupEpochs head-only epochs before fine-tuning (default 0)
 * @param earlyStopping early stopping within the fine-tuning stage, or null for none
 * @param seed seeds the split, initialisation, shuffling and dropout (default 0)
 * @param inputSize side of the square image the backbone sees (default: the source model's, 224 for
 *     the zoo models); smaller sizes such as 96 or 128 train faster on a CPU
 * @param augmentation train-time augmentation (default none)
 * @param batchNorm how the BatchNorm layers of unfrozen groups train (default train)
 * @param unfreezeEvery gradual unfreezing (ULMFiT): the fine-tuning stage starts with only the top
 *     group unfrozen and unfreezes the next lower one every this many epochs, down to the freeze
 *     depth (default: none, every group above the freeze depth trains from the start)
 * @param lrSchedule how the learning rates move over the trial's steps (default constant)
 */
public record TrialSpec(
    String id,
    String sourceModel,
    TargetSpec target,
    FreezeDepth freezeDepth,
    LearningRates learningRates,
    OptimizerSpec optimizer,
    Integer batchSize,
    Double dropout,
    Integer epochs,
    Integer warmupEpochs,
    EarlyStoppingSpec earlyStopping,
    Long seed,
    Integer inputSize,
    Augmentation augmentation,
    BatchNormMode batchNorm,
    Integer unfreezeEvery,
    LrSchedule lrSchedule) {

  // inputSize, augmentation, batchNorm, unfreezeEvery and lrSchedule stay null when not set, so
  // that the canonical JSON, and
  // with it the configuration hash, of every trial written before they existed stays the same.
  public TrialSpec {
    if (freezeDepth == null) {
      freezeDepth = FreezeDepth.NONE;
    }
    if (learningRates == null) {
      learningRates = LearningRates.defaults();
    }
    if (optimizer == null) {
      optimizer = OptimizerSpec.defaults();
    }
    if (batchSize == null) {
      batchSize = 64;
    }
    if (dropout == null) {
      dropout = 0.0;
    }
    if (epochs == null) {
      epochs = 5;
    }
    if (warmupEpochs == null) {
      warmupEpochs = 0;
    }
    if (seed == null) {
      seed = 0L;
    }
  }

  /**
   * A builder of a trial on {@code sourceModel} and {@code target}; every other field is set by
   * name, and what is left unset takes its default.
   */
  public static TrialSpecBuilder builder(String sourceModel, TargetSpec target) {
    return new TrialSpecBuilder(sourceModel, target);
  }

  /** A builder holding this spec's values, to copy it with some of them changed. */
  public TrialSpecBuilder toBuilder() {
    return new TrialSpecBuilder(this);
  }

  /** The augmentation to run: none unless set. */
  @JsonIgnore
  public Augmentation augmentationOrNone() {
    return augmentation != null ? augmentation : Augmentation.NONE;
  }

  /** How unfrozen BatchNorm layers train: {@link BatchNormMode#TRAIN} unless set. */
  @JsonIgnore
  public BatchNormMode batchNormOrTrain() {
    return batchNorm != null ? batchNorm : BatchNormMode.TRAIN;
  }

  /** The learning-rate schedule: {@link LrSchedule#CONSTANT} unless set. */
  @JsonIgnore
  public LrSchedule lrScheduleOrConstant() {
    return lrSchedule != null ? lrSchedule : LrSchedule.CONSTANT;
  }

  /**
   * The frozen groups in fine-tuning epoch {@code e} (1-based) of a backbone of {@code n} groups:
   * the freeze depth k, or with gradual unfreezing every N epochs max(k, n - ceil(e / N)), so epoch
   * 1 trains the top group, and one more group below it unfreezes every N epochs.
   */
  public int frozenGroupsAt(int e, int n) {
    int k = freezeDepth.groups();
    if (unfreezeEvery == null) {
      return k;
    }
    int unfrozen = (e + unfreezeEvery - 1) / unfreezeEvery;
    return Math.max(k, n - unfrozen);
  }

  /** The metric that picks the best epoch: early stopping's monitor, else val_loss. */
  @JsonIgnore
  public Metric monitor() {
    return earlyStopping != null ? earlyStopping.monitor() : Metric.VAL_LOSS;
  }

  /** Direction of {@link #monitor()}. */
  @JsonIgnore
  public Metric.Mode monitorMode() {
    return earlyStopping != null ? earlyStopping.mode() : Metric.VAL_LOSS.naturalMode();
  }

  /** The id, or {@code trial-<first 12 hex of the configuration hash>} when none is set. */
  @JsonIgnore
  public String idOrHash() {
    return id != null ? id : "trial-" + configHash().substring(0, 12);
  }

  /**
   * SHA-256 of the canonical JSON of every resolved field but the id: the same configuration gives
   * the same hash on every machine.
   */
  public String configHash() {
    try {
      TrialSpec anonymous = withId(null);
      byte[] canonical =
          ThawJson.mapper()
              .copy()
              .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
              .writeValueAsBytes(anonymous);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
      return HexFormat.of().formatHex(digest);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash trial spec", e);
    }
  }

  /** A copy with another id. */
  public TrialSpec withId(String newId) {
    return toBuilder().id(newId).build();
  }

  /** Writes the spec as pretty JSON. */
  public String toJson() {
    try {
      return ThawJson.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write trial spec", e);
    }
  }

  /** Parses a spec; JSON and type errors name the field, line and column. */
  public static TrialSpec fromJson(String json, String origin) {
    try {
      return ThawJson.mapper().readValue(json, TrialSpec.class);
    } catch (JsonMappingException e) {
      throw new InvalidTrialSpecException(origin, java.util.List.of(describe(e)));
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String where =
          loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new InvalidTrialSpecException(
          origin, java.util.List.of("malformed JSON" + where + ": " + e.getOriginalMessage()));
    }
  }

  /** Reads a spec from a file. */
  public static TrialSpec read(Path file) {
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidTrialSpecException(file.toString(), java.util.List.of("file not found"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trial spec " + file, e);
    }
  }

  private static String describe(JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
            .orElse("(root)");
    var loc = e.getLocation();
    String where =
        loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    String message = e.getOriginalMessage();
    if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
      message = "unknown key '" + u.getPropertyName() + "'; known keys: " + u.getKnownPropertyIds();
    } else if (e.getCause() instanceof IllegalArgumentException iae) {
      message = iae.getMessage();
    }
    return path + ": " + message + where;
  }
}
