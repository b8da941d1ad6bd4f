package dev.thaw.trial;

/**
 * Builds a {@link TrialSpec} by name: {@code TrialSpec.builder(source, target).freezeDepth(2)
 * .epochs(4).build()}. Each setter is named after the spec's field it sets (see {@link TrialSpec}
 * for what each means); a field left unset, or set to null, takes the spec's default.
 */
public final class TrialSpecBuilder {
  private String id;
  private String sourceModel;
  private TargetSpec target;
  private FreezeDepth freezeDepth;
  private LearningRates learningRates;
  private OptimizerSpec optimizer;
  private Integer batchSize;
  private Double dropout;
  private Integer epochs;
  private Integer warmupEpochs;
  private EarlyStoppingSpec earlyStopping;
  private Long seed;
  private Integer inputSize;
  private Augmentation augmentation;
  private BatchNormMode batchNorm;
  private Integer unfreezeEvery;
  private LrSchedule lrSchedule;

  TrialSpecBuilder(String sourceModel, TargetSpec target) {
    this.sourceModel = sourceModel;
    this.target = target;
  }

  TrialSpecBuilder(TrialSpec spec) {
    this(spec.sourceModel(), spec.target());
    id = spec.id();
    freezeDepth = spec.freezeDepth();
    learningRates = spec.learningRates();
    optimizer = spec.optimizer();
    batchSize = spec.batchSize();
    dropout = spec.dropout();
    epochs = spec.epochs();
    warmupEpochs = spec.warmupEpochs();
    earlyStopping = spec.earlyStopping();
    seed = spec.seed();
    inputSize = spec.inputSize();
    augmentation = spec.augmentation();
    batchNorm = spec.batchNorm();
    unfreezeEvery = spec.unfreezeEvery();
    lrSchedule = spec.lrSchedule();
  }

  public TrialSpecBuilder id(String id) {
    this.id = id;
    return this;
  }

  public TrialSpecBuilder sourceModel(String sourceModel) {
    this.sourceModel = sourceModel;
    return this;
  }

  public TrialSpecBuilder target(TargetSpec target) {
    this.target = target;
    return this;
  }

  public TrialSpecBuilder freezeDepth(FreezeDepth freezeDepth) {
    this.freezeDepth = freezeDepth;
    return this;
  }

  /** The first {@code groups} layer groups frozen. */
  public TrialSpecBuilder freezeDepth(int groups) {
    return freezeDepth(FreezeDepth.of(groups));
  }

  public TrialSpecBuilder learningRates(LearningRates learningRates) {
    this.learningRates = learningRates;
    return this;
  }

  public TrialSpecBuilder optimizer(OptimizerSpec optimizer) {
    this.optimizer = optimizer;
    return this;
  }

  public TrialSpecBuilder batchSize(Integer batchSize) {
    this.batchSize = batchSize;
    return this;
  }

  public TrialSpecBuilder dropout(Double dropout) {
    this.dropout = dropout;
    return this;
  }

  public TrialSpecBuilder epochs(Integer epochs) {
    this.epochs = epochs;
    return this;
  }

  public TrialSpecBuilder warmupEpochs(Integer warmupEpochs) {
    this.warmupEpochs = warmupEpochs;
    return this;
  }

  public TrialSpecBuilder earlyStopping(EarlyStoppingSpec earlyStopping) {
    this.earlyStopping = earlyStopping;
    return this;
  }

  public TrialSpecBuilder seed(Long seed) {
    this.seed = seed;
    return this;
  }

  public TrialSpecBuilder inputSize(Integer inputSize) {
    this.inputSize = inputSize;
    return this;
  }

  public TrialSpecBuilder augmentation(Augmentation augmentation) {
    this.augmentation = augmentation;
    return this;
  }

  public TrialSpecBuilder batchNorm(BatchNormMode batchNorm) {
    this.batchNorm = batchNorm;
    return this;
  }

  public TrialSpecBuilder unfreezeEvery(Integer unfreezeEvery) {
    this.unfreezeEvery = unfreezeEvery;
    return this;
  }

  public TrialSpecBuilder lrSchedule(LrSchedule lrSchedule) {
    this.lrSchedule = lrSchedule;
    return this;
  }

  /** The spec, with its defaults applied. */
  public TrialSpec build() {
    return new TrialSpec(
        id,
        sourceModel,
        target,
        freezeDepth,
        learningRates,
        optimizer,
        batchSize,
        dropout,
        epochs,
        warmupEpochs,
        earlyStopping,
        seed,
        inputSize,
        augmentation,
        batchNorm,
        unfreezeEvery,
        lrSchedule);
  }
}
