package dev.thaw.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import dev.thaw.model.nn.Chain;
import dev.thaw.model.zoo.ZooNetworks;
import dev.thaw.model.zoo.ZooSource;
import dev.thaw.task.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Opens a source model as a {@link TransferNetwork} with a fresh head for the target classes. */
public final class SourceModels {
  private static final Pattern PARAMS_FILE = Pattern.compile("([^/\\\\]+)-(\\d{4})\\.params");

  private SourceModels() {}

  /**
   * Reads what is known of a source model without loading its weights (zoo models excepted, which
   * only say their groups once loaded).
   */
  public static ModelMetadata describe(SourceModelRef ref) {
    return switch (ref) {
      case SourceModelRef.Scratch s -> scratchMetadata(s.architecture());
      case SourceModelRef.ParamsDir d -> {
        if (!Files.isDirectory(d.dir())) {
          throw new ModelLoadException(
              "source model directory "
                  + d.dir()
                  + " does not exist"
                  + (d.dir().toString().contains("models") ? " (run `thaw pretrain` first?)" : ""));
        }
        yield ModelMetadata.read(d.dir().resolve(ModelMetadata.FILE_NAME));
      }
      case SourceModelRef.TorchScript t -> {
        if (!Files.isRegularFile(t.file())) {
          throw new ModelLoadException("TorchScript file " + t.file() + " does not exist");
        }
        yield ModelMetadata.read(Path.of(t.file() + ".thaw.json"));
      }
      case SourceModelRef.Zoo z -> z.model().metadata(z.pretrained());
      case SourceModelRef.ModelUrl u -> null;
    };
  }

  /**
   * Opens the source model on a device and gives it a fresh head.
   *
   * @param ref the source model
   * @param device where parameters live
   * @param targetClasses outputs of the new head
   * @param dropout dropout before the head
   */
  public static TransferNetwork open(
      SourceModelRef ref, Device device, int targetClasses, double dropout) {
    TransferNetwork network =
        switch (ref) {
          case SourceModelRef.Scratch s ->
              scratch(s.architecture(), device, targetClasses, dropout);
          case SourceModelRef.ParamsDir d -> paramsDir(d.dir(), device);
          case SourceModelRef.TorchScript t ->
              torchScript(
                  Criteria.builder().optModelPath(t.file()),
                  describe(t),
                  t.file().toString(),
                  device);
          case SourceModelRef.Zoo z -> ZooNetworks.open(z.model(), z.pretrained(), device);
          case SourceModelRef.ModelUrl u ->
              torchScript(Criteria.builder().optModelUrls(u.url()), null, u.url(), device);
        };
    if (!(ref instanceof SourceModelRef.Scratch)) {
      network.replaceHead(targetClasses, dropout);
      network.recordInputShape();
    }
    return network;
  }

  /**
   * The smallest input side the source model takes: 32 for the zoo networks (they downsample
   * 32-fold), 4 for thaw-cnn (two 2x2 poolings), 1 where Thaw cannot know (TorchScript, URLs).
   */
  public static int minInputSize(SourceModelRef ref) {
    return switch (ref) {
      case SourceModelRef.Zoo z -> z.model().isText() ? 1 : ZooSource.MIN_INPUT_SIZE;
      case SourceModelRef.Scratch s -> 4;
      case SourceModelRef.ParamsDir d -> 4;
      case SourceModelRef.TorchScript t -> 1;
      case SourceModelRef.ModelUrl u -> 1;
    };
  }

  private static ModelMetadata scratchMetadata(Architecture arch) {
    List<ModelMetadata.GroupSpec> groups = new ArrayList<>();
    for (int i = 0; i < arch.groups(); i++) {
      groups.add(new ModelMetadata.GroupSpec("g" + i, List.of()));
    }
    return new ModelMetadata(
        "scratch",
        arch.name(),
        null,
        List.of(arch.channels(), arch.height(), arch.widthPx()),
        arch.featureSize(),
        groups,
        null,
        null);
  }

  private static TransferNetwork scratch(
      Architecture arch, Device device, int classes, double dropout) {
    SequentialBlock root = new Chain();
    arch.buildGroups().forEach(root::add);
    root.add(TransferNetwork.newHead(classes, dropout));
    // He initialisation suits the ReLU convolutions; biases start at zero.
    root.setInitializer(
        new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
        Parameter.Type.WEIGHT);
    Model model = Model.newInstance("thaw-" + arch.name(), device);
    model.setBlock(root);
    Shape input = arch.inputShape();
    root.initialize(model.getNDManager(), DataType.FLOAT32, batchOf(input));
    return new TransferNetwork(
        model,
        root,
        childGroups(root, arch.groups()),
        input,
        arch.featureSize(),
        scratchMetadata(arch));
  }

  /**
   * What a model directory holds, checked: its metadata, architecture and weights file.
   *
   * @param dir the model directory
   * @param meta its metadata
   * @param architecture the built-in architecture, with the metadata's input shape
   * @param weights the {@code .params} file
   * @param prefix the weights file's name before {@code -NNNN.params}
   * @param epoch the {@code NNNN} of the weights file's name
   */
  record ParamsDirLayout(
      Path dir,
      ModelMetadata meta,
      Architecture architecture,
      Path weights,
      String prefix,
      String epoch) {

    static ParamsDirLayout of(Path dir) {
      ModelMetadata meta = describe(new SourceModelRef.ParamsDir(dir));
      if (!"djl-params".equals(meta.format()) || meta.architecture() == null) {
        throw new ModelLoadException(
            dir.resolve(ModelMetadata.FILE_NAME)
                + ": format must be djl-params with an architecture (got "
                + meta.format()
                + ")");
      }
      Architecture arch;
      try {
        arch = Architecture.parse(meta.architecture());
        List<Integer> s = meta.inputShape();
        arch =
            new Architecture(
                arch.family(), arch.width(), arch.groups(), s.get(0), s.get(1), s.get(2));
      } catch (IllegalArgumentException e) {
        throw new ModelLoadException(
            dir.resolve(ModelMetadata.FILE_NAME) + ": " + e.getMessage(), e);
      }
      Matcher m = PARAMS_FILE.matcher(meta.weights() == null ? "" : meta.weights());
      if (!m.matches() || !Files.isRegularFile(dir.resolve(meta.weights()))) {
        throw new ModelLoadException(
            "weights file " + dir.resolve(String.valueOf(meta.weights())) + " does not exist");
      }
      return new ParamsDirLayout(
          dir, meta, arch, dir.resolve(meta.weights()), m.group(1), m.group(2));
    }

    /**
     * The network the weights file was saved from: the backbone and the source task's head, its
     * parameters not yet set.
     */
    TransferNetwork emptyNetwork(Device device) {
      int sourceClasses = meta.source() != null ? meta.source().classes().size() : 1;
      SequentialBlock root = new Chain();
      architecture.buildGroups().forEach(root::add);
      root.add(TransferNetwork.newHead(sourceClasses, 0));
      Model model = Model.newInstance("thaw-" + architecture.name(), device);
      model.setBlock(root);
      return new TransferNetwork(
          model,
          root,
          childGroups(root, architecture.groups()),
          architecture.inputShape(),
          architecture.featureSize(),
          meta);
    }
  }

  private static TransferNetwork paramsDir(Path dir, Device device) {
    return loadParamsDir(ParamsDirLayout.of(dir), device);
  }

  /** The model directory's network with its source head, weights read from the file. */
  static TransferNetwork loadParamsDir(ParamsDirLayout layout, Device device) {
    Path dir = layout.dir();
    TransferNetwork network = layout.emptyNetwork(device);
    try {
      network.model().load(dir, layout.prefix(), Map.of("epoch", layout.epoch()));
    } catch (IOException | MalformedModelException | RuntimeException e) {
      network.close();
      throw new ModelLoadException(
          "cannot load weights " + layout.weights() + ": " + e.getMessage(), e);
    }
    return network;
  }

  /**
   * Loads a TorchScript backbone (a file or a zoo URL) with trainable parameters. Groups come from
   * the metadata's parameter-name prefixes, or else from the first component of each name ({@code
   * layer1.0.conv1.weight} belongs to {@code layer1}).
   */
  private static TransferNetwork torchScript(
      Criteria.Builder<?, ?> base, ModelMetadata meta, String where, Device device) {
    Criteria<NDList, NDList> criteria =
        base.setTypes(NDList.class, NDList.class)
            .optEngine("PyTorch")
            .optDevice(device)
            .optOption("trainParam", "true")
            .build();
    ZooModel<NDList, NDList> zoo;
    try {
      zoo = criteria.loadModel();
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new ModelLoadException(
          "cannot load TorchScript model " + where + ": " + e.getMessage(), e);
    }
    Block backbone = zoo.getBlock();
    PairList<String, Parameter> params = backbone.getParameters();
    Map<String, List<Parameter>> byGroup = new LinkedHashMap<>();
    List<String> unassigned = new ArrayList<>();
    if (meta != null && meta.layerGroups() != null) {
      meta.layerGroups().forEach(g -> byGroup.put(g.name(), new ArrayList<>()));
      for (var pair : params) {
        String group = null;
        for (ModelMetadata.GroupSpec g : meta.layerGroups()) {
          if (g.parameterPrefixes().stream().anyMatch(pair.getKey()::startsWith)) {
            group = g.name();
            break;
          }
        }
        if (group == null) {
          unassigned.add(pair.getKey());
        } else {
          byGroup.get(group).add(pair.getValue());
        }
      }
    } else {
      for (var pair : params) {
        String first = pair.getKey().split("\\.")[0];
        byGroup.computeIfAbsent(first, k -> new ArrayList<>()).add(pair.getValue());
      }
    }
    if (!unassigned.isEmpty()) {
      zoo.close();
      throw new ModelLoadException(
          where + ": parameters belong to no layer group of its metadata: " + unassigned);
    }
    List<LayerGroup> groups = new ArrayList<>();
    byGroup.forEach((name, ps) -> groups.add(new LayerGroup(name, ps)));
    int featureSize = meta != null && meta.featureSize() != null ? meta.featureSize() : -1;
    List<Integer> s =
        meta != null && meta.inputShape() != null ? meta.inputShape() : List.of(3, 224, 224);
    if (featureSize < 1) {
      zoo.close();
      throw new ModelLoadException(
          where + ": metadata must give feature_size (the backbone's output size)");
    }
    SequentialBlock root = new SequentialBlock().add(backbone).add(TransferNetwork.newHead(1, 0));
    zoo.setBlock(root);
    return new TransferNetwork(
        zoo, root, groups, new Shape(s.get(0), s.get(1), s.get(2)), featureSize, meta);
  }

  private static List<LayerGroup> childGroups(SequentialBlock root, int n) {
    List<LayerGroup> groups = new ArrayList<>();
    List<Block> children = root.getChildren().values();
    for (int i = 0; i < n; i++) {
      groups.add(new LayerGroup("g" + i, children.get(i).getParameters().values()));
    }
    return groups;
  }

  private static Shape batchOf(Shape input) {
    return new Shape(1).addAll(input);
  }
}
