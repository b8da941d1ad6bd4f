package dev.thaw.model.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * BERT's input layer: word, position and segment embeddings summed, layer-normalised and dropped
 * out. Its input is a batch of token rows N x 2 x L (int64): row 0 the word-piece ids, row 1 the
 * attention mask (1 for a token, 0 for padding); its output the hidden states N x L x H and the
 * mask as floats N x L, which every {@link BertLayer} passes on.
 */
public final class BertEmbeddings extends NamedParameterBlock {
  private final BertConfig config;
  private final Parameter words;
  private final Parameter positions;
  private final Parameter types;
  private final Parameter gamma;
  private final Parameter beta;

  /** The layer for {@code config}, its parameters not yet initialised. */
  public BertEmbeddings(BertConfig config) {
    this.config = config;
    int h = config.hidden();
    words = add("word_embeddings.weight", Parameter.Type.WEIGHT, new Shape(config.vocabulary(), h));
    positions =
        add(
            "position_embeddings.weight",
            Parameter.Type.WEIGHT,
            new Shape(config.maxPositions(), h));
    types =
        add(
            "token_type_embeddings.weight",
            Parameter.Type.WEIGHT,
            new Shape(config.typeVocabulary(), h));
    gamma = add("LayerNorm.weight", Parameter.Type.GAMMA, new Shape(h));
    beta = add("LayerNorm.bias", Parameter.Type.BETA, new Shape(h));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray tokens = inputs.singletonOrThrow();
    long length = tokens.getShape().get(2);
    if (length > config.maxPositions()) {
      throw new IllegalArgumentException(
          "input of " + length + " tokens; the encoder takes at most " + config.maxPositions());
    }
    NDArray ids = tokens.get(new NDIndex(":, 0, :"));
    NDArray mask = tokens.get(new NDIndex(":, 1, :")).toType(DataType.FLOAT32, false);
    NDArray w = store.getValue(words, tokens.getDevice(), training);
    NDArray p = store.getValue(positions, tokens.getDevice(), training);
    NDArray t = store.getValue(types, tokens.getDevice(), training);
    // An op's result lives on its first operand's manager. Gathered from the parameters, the
    // embeddings, and with them every activation after them, would live on the model's manager
    // and outlast the batch (GBs over a validation pass); so they join the batch's manager.
    NDManager batch = tokens.getManager();
    NDArray gathered = w.get(ids);
    gathered.attach(batch);
    NDArray position = p.get(new NDIndex("0:" + length));
    position.attach(batch);
    // Single-segment input: every token has type 0.
    NDArray type = t.get(0);
    type.attach(batch);
    NDArray x = gathered.add(position.expandDims(0)).add(type);
    x =
        LayerNorm.layerNorm(
                x,
                new Shape(config.hidden()),
                store.getValue(gamma, tokens.getDevice(), training),
                store.getValue(beta, tokens.getDevice(), training),
                config.layerNormEps())
            .singletonOrThrow();
    if (drops(training)) {
      x = Dropout.dropout(x, config.dropout(), true).singletonOrThrow();
    }
    return new NDList(x, mask);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {
      new Shape(in.get(0), in.get(2), config.hidden()), new Shape(in.get(0), in.get(2))
    };
  }
}
