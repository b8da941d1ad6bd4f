package dev.thaw.model.zoo;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.XavierInitializer;
import dev.thaw.model.LayerGroup;
import dev.thaw.model.TransferNetwork;
import dev.thaw.model.nn.Chain;
import dev.thaw.model.nn.InputNormalization;
import dev.thaw.model.text.MiniLmNetworks;
import dev.thaw.model.torch.TorchStateDict;
import dev.thaw.model.torch.TorchTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SequencedMap;

/**
 * Builds a zoo model as a {@link TransferNetwork}: ImageNet input normalisation, the nine layer
 * groups and the source task's head (dropout, linear to 1000 ImageNet classes), with the pretrained
 * weights read from the checked {@code .pth} file, or randomly initialised for {@code scratch:}.
 */
public final class ZooNetworks {
  private ZooNetworks() {}

  /**
   * The network with its ImageNet head. Pretrained: the weights file must be in place and intact
   * (see {@link PackagedFile#verifiedPath()}). From scratch: He-initialised convolutions ({@code
   * fan_out}, as torchvision), BatchNorm at identity.
   *
   * @throws dev.thaw.task.ModelLoadException naming the file and every tensor that does not fit
   */
  public static TransferNetwork open(ZooSource zoo, boolean pretrained, Device device) {
    if (zoo.isText()) {
      return MiniLmNetworks.open(
          zoo.bertConfig(),
          pretrained ? zoo.weights().verifiedPath() : null,
          device,
          ZooSource.DEFAULT_MAX_LENGTH,
          zoo.metadata(pretrained));
    }
    if (!pretrained) {
      Assembled a = assemble(zoo, false, device);
      return initialized(a.network());
    }
    Path file = zoo.weights().verifiedPath();
    SequencedMap<String, TorchTensor> tensors = TorchStateDict.read(file).tensors();
    // The architecture's shapes come from an initialised build; the weights then go, checked,
    // into a fresh one as its parameters' arrays (a parameter's array cannot be replaced once
    // initialised, and copying into it in place would need libtorch's deprecated non-variable
    // mode).
    Assembled shapes = assemble(zoo, true, device);
    TransferNetwork probe = initialized(shapes.network());
    try {
      shapes.names().check(tensors, file.toString());
    } finally {
      probe.close();
    }
    Assembled a = assemble(zoo, true, device);
    TransferNetwork network = a.network();
    try {
      a.names().assign(tensors, network.model().getNDManager());
      return initialized(network);
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /** Initialises a network's parameters not given values yet (He-initialised weights). */
  private static TransferNetwork initialized(TransferNetwork network) {
    try {
      SequentialBlock root = (SequentialBlock) network.model().getBlock();
      root.setInitializer(
          new XavierInitializer(
              XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2),
          Parameter.Type.WEIGHT);
      root.initialize(
          network.model().getNDManager(),
          DataType.FLOAT32,
          new Shape(1).addAll(network.inputShape()));
      return network;
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /**
   * The network with its ImageNet head, its parameters not yet given values (a snapshot fills them,
   * then initialises the input shapes).
   */
  public static TransferNetwork empty(ZooSource zoo, Device device) {
    if (zoo.isText()) {
      return MiniLmNetworks.empty(
          zoo.bertConfig(), device, ZooSource.DEFAULT_MAX_LENGTH, zoo.metadata(true));
    }
    return assemble(zoo, true, device).network();
  }

  private record Assembled(TransferNetwork network, StateDictBindings names) {}

  private static Assembled assemble(ZooSource zoo, boolean pretrained, Device device) {
    ZooBackbone backbone = zoo.build();
    SequentialBlock root = new Chain();
    root.add(
        new InputNormalization(InputNormalization.IMAGENET_MEAN, InputNormalization.IMAGENET_STD));
    List<LayerGroup> groups = new ArrayList<>();
    for (int i = 0; i < backbone.groups().size(); i++) {
      Block group = backbone.groups().get(i);
      root.add(group);
      groups.add(LayerGroup.of("g" + i, group));
    }
    SequentialBlock head =
        TransferNetwork.newHead(backbone.sourceClasses(), backbone.sourceDropout());
    backbone.names().linear(backbone.headKey(), (Linear) head.getChildren().get(1).getValue());
    root.add(head);
    Model model = Model.newInstance("thaw-" + zoo.id(), device);
    model.setBlock(root);
    Shape input = new Shape(3, ZooSource.DEFAULT_INPUT_SIZE, ZooSource.DEFAULT_INPUT_SIZE);
    return new Assembled(
        new TransferNetwork(
            model, root, groups, input, backbone.featureSize(), zoo.metadata(pretrained)),
        backbone.names());
  }
}
