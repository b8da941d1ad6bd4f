package dev.thaw.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dev.thaw.data.DatasetRef;
import dev.thaw.data.ImageAugmenter;
import dev.thaw.data.LabelledImages;
import dev.thaw.inputs.InputPolicy;
import dev.thaw.model.ModelMetadata;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.TransferNetwork;
import dev.thaw.train.features.FeatureCache;
import dev.thaw.train.features.TrialFeatures;
import dev.thaw.trial.Augmentation;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.InvalidTrialSpecException;
import dev.thaw.trial.Stage;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import dev.thaw.trial.TrialSpecValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one fine-tuning trial: validates the spec, loads the target data and the source model,
 * replaces the head, then trains an optional head-only warm-up stage and the fine-tuning stage at
 * the trial's freeze depth with per-group learning rates, checkpointing the best epoch and stopping
 * early when the monitored metric stops improving.
 *
 * <p>DJL trains one model at a time per JVM, so a worker runs its trials one after another.
 */
public final class FineTuner {
  /** The stop reason of a trial whose observer said to stop. */
  public static final String STOPPED_BY_OBSERVER = "stopped_by_observer";

  private final Device device;
  private final Path runsDir;
  private final TrialInputs inputs;
  private final InputPolicy policy;
  private final FeatureCache features;

  /**
   * A fine-tuner that loads every trial's data and source model from disk, from any path (for a
   * user's own trials; workers confine paths with an {@link InputPolicy}).
   *
   * @param device the device to train on ({@code cpu()} or {@code gpu(n)})
   * @param runsDir where each trial writes its folder (resolved spec, best weights, result)
   */
  public FineTuner(Device device, Path runsDir) {
    this(device, runsDir, TrialInputs.FROM_DISK);
  }

  /**
   * A fine-tuner that takes its trials' data and networks from {@code inputs} (e.g. a worker's
   * cache of the current task), from any path.
   */
  public FineTuner(Device device, Path runsDir, TrialInputs inputs) {
    this(device, runsDir, inputs, InputPolicy.unrestricted());
  }

  /**
   * A fine-tuner whose trials may only name the data folders and source models {@code policy}
   * admits; any other trial fails before anything loads, as an invalid spec.
   */
  public FineTuner(Device device, Path runsDir, TrialInputs inputs, InputPolicy policy) {
    this(device, runsDir, inputs, policy, FeatureCache.off());
  }

  private FineTuner(
      Device device, Path runsDir, TrialInputs inputs, InputPolicy policy, FeatureCache features) {
    this.device = device;
    this.runsDir = runsDir;
    this.inputs = inputs;
    this.policy = policy;
    this.features = features;
  }

  /**
   * This fine-tuner with a frozen-prefix feature cache: a stage whose frozen groups can be cached
   * trains on their stored outputs ({@link FeatureCache}); the caller keeps and closes the cache.
   */
  public FineTuner withFeatureCache(FeatureCache cache) {
    return new FineTuner(device, runsDir, inputs, policy, cache);
  }

  /** Resolves the spec against its source model and throws if it cannot run. */
  public static ModelMetadata validate(TrialSpec spec, String origin) {
    return validate(spec, origin, InputPolicy.unrestricted());
  }

  /**
   * Resolves the spec against its source model and throws if it cannot run, or if it names a data
   * folder or source model {@code policy} refuses (checked before anything is read); see {@link
   * TrialPreflight}.
   */
  public static ModelMetadata validate(TrialSpec spec, String origin, InputPolicy policy) {
    return TrialPreflight.check(spec, origin, policy);
  }

  /** Runs the trial to its end and returns its result. */
  public TrialResult run(TrialSpec spec, TrialObserver observer) {
    long start = System.nanoTime();
    ModelMetadata meta = validate(spec, spec.idOrHash(), policy);
    SourceModelRef ref = policy.sourceModel("source_model", spec.sourceModel());
    // Load the folder the policy admitted (its real path), not the text again.
    TargetSpec target = spec.target();
    DatasetRef admitted = policy.dataset("target.dataset", target.dataset());
    if (admitted instanceof DatasetRef.ImageFolder || admitted instanceof DatasetRef.Table) {
      target = target.withDataset(admitted.toString());
    }
    Shape input = TrialPreflight.inputShape(spec, meta);
    TrialData data = inputs.data(target, input, target.splitSeedOr(spec.seed()));
    if (data.isText() && spec.augmentationOrNone() != Augmentation.NONE) {
      throw new InvalidTrialSpecException(
          spec.idOrHash(),
          List.of(
              "augmentation: images only; a text trial takes none (got "
                  + spec.augmentationOrNone().key()
                  + ")"));
    }
    Path runDir = runsDir.resolve(spec.idOrHash());
    try {
      Files.createDirectories(runDir);
      Files.writeString(runDir.resolve("trial.json"), spec.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write run folder " + runDir, e);
    }

    inputs.prepare(ref, device);
    Engine.getInstance().setRandomSeed((int) (spec.seed() & 0x7fffffff));
    try (TransferNetwork net =
        inputs.network(ref, device, data.classNames().size(), spec.dropout())) {
      int n = net.groups().size();
      TrialSpecValidator.check(spec, n, spec.idOrHash());
      double headRate = spec.learningRates().head();
      double[] groupRates = spec.learningRates().backbone().resolve(n, headRate);
      TrialPlan plan =
          new TrialPlan(
              spec,
              net.groups().stream().map(g -> g.name()).toList(),
              Arrays.stream(groupRates).boxed().toList(),
              data.classNames(),
              data.train().size(),
              data.validation().size(),
              device.toString());
      observer.started(plan);
      return train(spec, net, data, plan, runDir, observer, start);
    } catch (IOException e) {
      throw new UncheckedIOException("trial " + spec.idOrHash() + " failed on I/O", e);
    }
  }

  private TrialResult train(
      TrialSpec spec,
      TransferNetwork net,
      TrialData data,
      TrialPlan plan,
      Path runDir,
      TrialObserver observer,
      long start)
      throws IOException {
    int n = net.groups().size();
    double[] groupRates = plan.groupRates().stream().mapToDouble(Double::doubleValue).toArray();
    var rates = new GroupLearningRates(net.groups(), groupRates, spec.learningRates().head());
    DefaultTrainingConfig config = TrainingLoop.config(spec.optimizer(), rates, device);
    var es = spec.earlyStopping();
    EarlyStopping best = EarlyStopping.forTrial(spec.monitorMode(), es);
    List<EpochMetrics> history = new ArrayList<>();
    String stopReason = null;
    Path bestWeights = null;
    int planned = spec.warmupEpochs() + spec.epochs();
    SplittableRandom shuffle = new SplittableRandom(spec.seed());
    Augmentation augmentation = spec.augmentationOrNone();

    try (Trainer trainer = net.model().newTrainer(config);
        NDManager dataManager = net.model().getNDManager().newSubManager(device)) {
      NDArray trainY = TrialData.labels(dataManager, data.train());
      NDArray trainImages = TrialData.features(dataManager, data.train());
      TrainBatches trainX =
          augmentation == Augmentation.NONE
              ? TrainBatches.gather(trainImages)
              : augmentedBatches(spec, (LabelledImages) data.train());
      NDArray valX = TrialData.features(dataManager, data.validation());
      NDArray valY = TrialData.labels(dataManager, data.validation());
      // Evaluation batches are sized by the images, cached or not, so both sum the same batches.
      int evalBatch = TrainingLoop.evaluationBatch(valX.getShape());
      TrialFeatures cache =
          features.trial(
              net,
              data.train(),
              trainImages,
              data.validation(),
              valX,
              augmentation,
              evalBatch,
              dataManager,
              features.taskOf(spec));
      TrainBatches stageX = trainX;
      NDArray stageValX = valX;
      ScheduleClock clock =
          new ScheduleClock(
              rates,
              spec.lrScheduleOrConstant(),
              TrainingLoop.stepsPerEpoch(data.train().size(), spec.batchSize()) * planned);
      int frozen = -1;
      for (int epoch = 1; epoch <= planned && stopReason == null; epoch++) {
        Stage stage = epoch <= spec.warmupEpochs() ? Stage.WARMUP : Stage.FINE_TUNE;
        // Gradual unfreezing thaws one more group from the top every unfreeze_every epochs: each
        // new depth is a new stage for the feature cache (it caches g0..g(k-1) for that k).
        int k = stage == Stage.WARMUP ? n : spec.frozenGroupsAt(epoch - spec.warmupEpochs(), n);
        if (epoch == 1 || epoch == spec.warmupEpochs() + 1 || k != frozen) {
          net.setFreezeDepth(k, spec.batchNormOrTrain());
          TrialFeatures.StageFeatures cached = cache.stage(stage.key(), k);
          stageX = cached == null ? trainX : TrainBatches.gather(cached.train());
          stageValX = cached == null ? valX : cached.validation();
          frozen = k;
        }
        long t0 = System.nanoTime();
        double trainLoss =
            TrainingLoop.trainEpoch(trainer, stageX, trainY, spec.batchSize(), shuffle, clock);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        double[] val =
            TrainingLoop.evaluate(trainer.getLoss(), stageValX, valY, trainer::evaluate, evalBatch);
        double epochSeconds = (System.nanoTime() - t0) / 1e9;
        EpochMetrics m =
            new EpochMetrics(
                epoch,
                stage,
                trainLoss,
                val[0],
                val[1],
                epochSeconds,
                data.train().size() / trainSeconds);
        history.add(m);
        var verdict = best.offer(epoch, spec.monitor().of(m), stage == Stage.FINE_TUNE);
        if (verdict == EarlyStopping.Verdict.IMPROVED) {
          bestWeights = net.saveWeights(runDir, "best");
        }
        boolean goOn = observer.epochFinished(m);
        if (epoch < planned) {
          if (!goOn) {
            stopReason = STOPPED_BY_OBSERVER;
          } else if (verdict == EarlyStopping.Verdict.STOP) {
            stopReason = "early_stopping";
          }
        }
      }
      cache.close();
      observer.featureCache(cache.stats());
      EpochMetrics last = history.get(history.size() - 1);
      if (bestWeights == null) {
        // The monitor was NaN every epoch (a diverged run): keep the last weights for inspection.
        bestWeights = net.saveWeights(runDir, "last");
      }
      double finalLoss = last.valLoss();
      double finalAccuracy = last.valAccuracy();
      boolean restore = es == null || es.restoreBestWeights();
      if (restore && best.bestEpoch() > 0 && best.bestEpoch() != last.epoch()) {
        net.loadWeights(runDir, "best");
        // The trainer's parameter store still holds the old arrays: evaluate the restored ones
        // through a fresh store.
        ParameterStore fresh = new ParameterStore(dataManager, false);
        double[] restored =
            TrainingLoop.evaluate(
                trainer.getLoss(),
                valX,
                valY,
                x -> net.model().getBlock().forward(fresh, x, false));
        finalLoss = restored[0];
        finalAccuracy = restored[1];
      }
      return TrialResult.builder()
          .trialId(spec.idOrHash())
          .configHash(spec.configHash())
          .monitor(spec.monitor())
          .bestValue(best.bestValue())
          .bestEpoch(best.bestEpoch())
          .epochsRun(history.size())
          .stoppedEarly(stopReason != null)
          .stopReason(stopReason)
          .wallSeconds((System.nanoTime() - start) / 1e9)
          .bestWeights(bestWeights == null ? null : bestWeights.toString())
          .finalValLoss(finalLoss)
          .finalValAccuracy(finalAccuracy)
          .targetClasses(data.classNames())
          .trainExamples(data.train().size())
          .validationExamples(data.validation().size())
          .groupLearningRates(plan.groupRates())
          .epochs(List.copyOf(history))
          .build();
    }
  }

  /**
   * Training inputs augmented anew for every batch, on the host. The draws come from a generator of
   * their own, so turning augmentation on leaves the batch order as it was.
   */
  private static TrainBatches augmentedBatches(TrialSpec spec, LabelledImages train) {
    ImageAugmenter augmenter =
        new ImageAugmenter(
            train, spec.augmentationOrNone(), new SplittableRandom(spec.seed()).split());
    Shape shape = new Shape(train.channels(), train.height(), train.width());
    return (scope, index, indices) ->
        TrialData.unitFloats(
            scope.create(
                ByteBuffer.wrap(augmenter.batch(indices)),
                new Shape(indices.length).addAll(shape),
                DataType.UINT8));
  }
}
