package dev.thaw.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.initializer.NormalInitializer;
import dev.thaw.model.nn.Chain;
import dev.thaw.task.ModelLoadException;
import dev.thaw.trial.BatchNormMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A backbone of named layer groups g0..g(n-1) followed by a head, inside one DJL {@link Model}. The
 * head is dropout then a linear layer sized for the target classes.
 */
public final class TransferNetwork implements AutoCloseable {
  private final Model model;
  private final SequentialBlock root;
  private final List<LayerGroup> groups;
  private final Shape inputShape;
  private final int featureSize;
  private final ModelMetadata metadata;

  /**
   * Wraps a built network.
   *
   * @param model the model that owns every parameter, its block set to {@code root}
   * @param root the whole network; its last child is the head
   * @param groups the backbone's layer groups, input side first
   * @param inputShape the input shape without the batch axis (C, H, W)
   * @param featureSize size of the feature vector the head receives
   * @param metadata what is known of the source model
   */
  public TransferNetwork(
      Model model,
      SequentialBlock root,
      List<LayerGroup> groups,
      Shape inputShape,
      int featureSize,
      ModelMetadata metadata) {
    this.model = model;
    this.root = root;
    this.groups = List.copyOf(groups);
    this.inputShape = inputShape;
    this.featureSize = featureSize;
    this.metadata = metadata;
  }

  /** Builds a fresh head: dropout, then a linear layer to {@code classes} outputs. */
  public static SequentialBlock newHead(int classes, double dropout) {
    return new SequentialBlock()
        .add(Dropout.builder().optRate((float) dropout).build())
        .add(Linear.builder().setUnits(classes).build());
  }

  /**
   * Replaces the head by a fresh, initialised one for the target classes. Call it after seeding the
   * engine so that the initialisation is reproducible.
   */
  public void replaceHead(int classes, double dropout) {
    SequentialBlock head = newHead(classes, dropout);
    // Small weights: the fresh head starts near uniform predictions whatever the scale of the
    // pretrained features, so the first steps are not spent undoing large random logits.
    head.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
    head.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, featureSize));
    root.replaceLastBlock(head);
  }

  /**
   * Records the input shape on every block. A block whose weights were loaded rather than
   * initialised does not know it, and DJL needs it to save the weights again.
   */
  public void recordInputShape() {
    root.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(inputShape));
  }

  /** The DJL model that owns every parameter. */
  public Model model() {
    return model;
  }

  /**
   * The blocks a forward pass runs through, in order: whatever comes before the groups (e.g. input
   * normalisation), the groups or a block holding them, and the head last.
   */
  public List<Block> blocks() {
    return root.getChildren().values();
  }

  /**
   * Makes training and evaluation passes start at {@link #blocks()} index {@code index}, fed with
   * what the block before it outputs (0: from the images, as usual). Only a network whose root is a
   * {@link Chain} can; the built-in and zoo networks are.
   *
   * @throws IllegalStateException for a root that always runs from its first block (TorchScript)
   */
  public void startForwardAt(int index) {
    if (root instanceof Chain chain) {
      chain.startForwardAt(index);
    } else if (index != 0) {
      throw new IllegalStateException(
          "this network ("
              + root.getClass().getSimpleName()
              + " root) always runs from its first block; cannot start at block "
              + index);
    }
  }

  /** True when {@link #startForwardAt} can move the start past the first block. */
  public boolean canStartForwardLater() {
    return root instanceof Chain;
  }

  /** The block forward passes start at: 0 unless {@link #startForwardAt} moved it. */
  public int forwardStart() {
    return root instanceof Chain chain ? chain.forwardStart() : 0;
  }

  /** The layer groups g0..g(n-1), input side first. */
  public List<LayerGroup> groups() {
    return groups;
  }

  /** The head's parameters. */
  public List<Parameter> headParameters() {
    return List.copyOf(head().getParameters().values());
  }

  /** Number of outputs of the head. */
  public int headClasses() {
    Block linear = head().getChildren().get(1).getValue();
    return (int) linear.getParameters().get("weight").getArray().getShape().get(0);
  }

  /** Input shape without the batch axis. */
  public Shape inputShape() {
    return inputShape;
  }

  /** Metadata of the source model this network was built from. */
  public ModelMetadata metadata() {
    return metadata;
  }

  /**
   * Freezes g0..g(k-1) and unfreezes the rest of the backbone and the head.
   *
   * @param k the freeze depth, 0 to n
   */
  public void setFreezeDepth(int k) {
    setFreezeDepth(k, BatchNormMode.TRAIN);
  }

  /**
   * Freezes g0..g(k-1), which then run in inference mode (see {@link LayerGroup#setMode}), and
   * trains the rest of the backbone, its BatchNorm layers as {@code batchNorm} says, and the head.
   *
   * @param k the freeze depth, 0 to n
   * @param batchNorm how the BatchNorm layers of the unfrozen groups behave
   */
  public void setFreezeDepth(int k, BatchNormMode batchNorm) {
    if (k < 0 || k > groups.size()) {
      throw new IllegalArgumentException(
          "freeze depth must be in [0, " + groups.size() + "] (got " + k + ")");
    }
    for (int i = 0; i < groups.size(); i++) {
      groups.get(i).setMode(i < k, batchNorm);
    }
    headParameters().forEach(p -> p.freeze(false));
  }

  /** Saves every parameter as {@code <dir>/<name>-0000.params} in DJL's format. */
  public Path saveWeights(Path dir, String name) throws IOException {
    model.setProperty("Epoch", "0");
    model.save(dir, name);
    return dir.resolve(name + "-0000.params");
  }

  /** Loads parameters saved by {@link #saveWeights} into this network. */
  public void loadWeights(Path dir, String name) throws IOException {
    try {
      model.load(dir, name, Map.of("epoch", "0"));
    } catch (MalformedModelException e) {
      throw new ModelLoadException("cannot load weights " + dir.resolve(name + "-0000.params"), e);
    }
  }

  private SequentialBlock head() {
    List<Block> children = root.getChildren().values();
    return (SequentialBlock) children.get(children.size() - 1);
  }

  @Override
  public void close() {
    model.close();
  }
}
