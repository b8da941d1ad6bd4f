package dev.thaw.model.text;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import dev.thaw.model.LayerGroup;
import dev.thaw.model.ModelMetadata;
import dev.thaw.model.TransferNetwork;
import dev.thaw.model.nn.Chain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a BERT encoder as a {@link TransferNetwork}: layer groups g0 (embeddings) and g1..gL (the
 * transformer layers), then masked mean pooling and a head (dropout, linear). Pretrained weights
 * come from a safetensors file with Hugging Face's names ({@code
 * embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight}, ...).
 * The input is N x 2 x L token rows (ids, attention mask; see {@link BertEmbeddings}).
 */
public final class MiniLmNetworks {
  /**
   * Tensors of the file the encoder does not use: the position-id buffer (positions are 0..L-1) and
   * BERT's [CLS] pooler, which mean pooling replaces.
   */
  static final Set<String> UNUSED =
      Set.of("embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias");

  private MiniLmNetworks() {}

  /**
   * The encoder with a one-output placeholder head (the caller replaces it), pretrained from {@code
   * weights}, or randomly initialised (BERT's normal(0.02) weights) when {@code weights} is null.
   *
   * @param maxLength the input length the network records for its shapes
   * @throws dev.thaw.task.ModelLoadException naming the file and every tensor that does not fit
   */
  public static TransferNetwork open(
      BertConfig config, Path weights, Device device, int maxLength, ModelMetadata metadata) {
    Assembled a = assemble(config, device, maxLength, metadata);
    TransferNetwork network = a.network();
    try {
      if (weights != null) {
        try (NDManager scratch = network.model().getNDManager().newSubManager()) {
          SafetensorsWeights file = SafetensorsWeights.read(weights, scratch);
          file.check(a.shapes(), UNUSED);
          file.assign(a.named(), network.model().getNDManager());
        }
      }
      network.recordInputShape();
      return network;
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /**
   * The encoder with its placeholder head, its parameters not yet given values (a snapshot fills
   * them, then records the input shapes).
   */
  public static TransferNetwork empty(
      BertConfig config, Device device, int maxLength, ModelMetadata metadata) {
    return assemble(config, device, maxLength, metadata).network();
  }

  private record Assembled(
      TransferNetwork network, Map<String, Parameter> named, Map<String, Shape> shapes) {}

  private static Assembled assemble(
      BertConfig config, Device device, int maxLength, ModelMetadata metadata) {
    SequentialBlock root = new Chain();
    List<LayerGroup> groups = new ArrayList<>();
    Map<String, Parameter> named = new LinkedHashMap<>();
    Map<String, Shape> shapes = new LinkedHashMap<>();
    BertEmbeddings embeddings = new BertEmbeddings(config);
    root.add(embeddings);
    groups.add(LayerGroup.of("g0", embeddings));
    embeddings.namedParameters().forEach((k, p) -> named.put("embeddings." + k, p));
    embeddings.shapes().forEach((k, s) -> shapes.put("embeddings." + k, s));
    for (int i = 0; i < config.layers(); i++) {
      BertLayer layer = new BertLayer(config);
      root.add(layer);
      groups.add(LayerGroup.of("g" + (i + 1), layer));
      String prefix = "encoder.layer." + i + ".";
      layer.namedParameters().forEach((k, p) -> named.put(prefix + k, p));
      layer.shapes().forEach((k, s) -> shapes.put(prefix + k, s));
    }
    root.add(new MeanPooling());
    root.add(TransferNetwork.newHead(1, 0));
    Model model = Model.newInstance("thaw-minilm", device);
    model.setBlock(root);
    TransferNetwork network =
        new TransferNetwork(
            model, root, groups, new Shape(2, maxLength), config.hidden(), metadata);
    return new Assembled(network, named, shapes);
  }
}
