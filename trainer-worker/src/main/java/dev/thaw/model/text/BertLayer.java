package dev.thaw.model.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One BERT transformer layer (post-norm): masked multi-head self-attention, add and normalise, a
 * GELU feed-forward layer, add and normalise. Hidden states N x L x H and the float mask N x L in,
 * the new hidden states and the same mask out. Its parameters carry Hugging Face's names under
 * {@code encoder.layer.<i>.}, e.g. {@code attention.self.query.weight}.
 *
 * <p>Dropout (hidden states and attention probabilities) applies in training unless the layer is
 * held in inference mode, as Thaw holds the layers of frozen groups.
 */
public final class BertLayer extends NamedParameterBlock {
  private final BertConfig config;

  /** The layer for {@code config}, its parameters not yet initialised. */
  public BertLayer(BertConfig config) {
    this.config = config;
    int h = config.hidden();
    int f = config.intermediate();
    dense("attention.self.query", h, h);
    dense("attention.self.key", h, h);
    dense("attention.self.value", h, h);
    dense("attention.output.dense", h, h);
    norm("attention.output.LayerNorm", h);
    dense("intermediate.dense", f, h);
    dense("output.dense", h, f);
    norm("output.LayerNorm", h);
  }

  private void dense(String name, int out, int in) {
    add(name + ".weight", Parameter.Type.WEIGHT, new Shape(out, in));
    add(name + ".bias", Parameter.Type.BIAS, new Shape(out));
  }

  private void norm(String name, int size) {
    add(name + ".weight", Parameter.Type.GAMMA, new Shape(size));
    add(name + ".bias", Parameter.Type.BETA, new Shape(size));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray mask = inputs.get(1);
    Values v = new Values(store, x, training);
    boolean drop = drops(training);
    Shape s = x.getShape();
    long n = s.get(0);
    long len = s.get(1);
    int heads = config.heads();
    long d = config.hidden() / heads;
    NDArray q = heads(v.linear(x, "attention.self.query"), n, len, heads, d);
    NDArray k = heads(v.linear(x, "attention.self.key"), n, len, heads, d);
    NDArray val = heads(v.linear(x, "attention.self.value"), n, len, heads, d);
    // Padding gets a large negative score, so softmax gives it no weight.
    NDArray bias = mask.sub(1f).mul(1e9f).reshape(n, 1, 1, len);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(d)).add(bias);
    NDArray probs = scores.softmax(-1);
    if (drop) {
      probs = Dropout.dropout(probs, config.dropout(), true).singletonOrThrow();
    }
    NDArray context = probs.matMul(val).transpose(0, 2, 1, 3).reshape(n, len, config.hidden());
    NDArray attended = v.linear(context, "attention.output.dense");
    if (drop) {
      attended = Dropout.dropout(attended, config.dropout(), true).singletonOrThrow();
    }
    NDArray h1 = v.norm(attended.add(x), "attention.output.LayerNorm");
    NDArray inner = Activation.gelu(v.linear(h1, "intermediate.dense"));
    NDArray out = v.linear(inner, "output.dense");
    if (drop) {
      out = Dropout.dropout(out, config.dropout(), true).singletonOrThrow();
    }
    return new NDList(v.norm(out.add(h1), "output.LayerNorm"), mask);
  }

  private static NDArray heads(NDArray x, long n, long len, int heads, long d) {
    return x.reshape(n, len, heads, d).transpose(0, 2, 1, 3);
  }

  /** The parameters' arrays for one forward pass. */
  private final class Values {
    private final ParameterStore store;
    private final NDArray like;
    private final boolean training;

    Values(ParameterStore store, NDArray like, boolean training) {
      this.store = store;
      this.like = like;
      this.training = training;
    }

    NDArray get(String name) {
      return store.getValue(namedParameters().get(name), like.getDevice(), training);
    }

    NDArray linear(NDArray x, String name) {
      return Linear.linear(x, get(name + ".weight"), get(name + ".bias")).singletonOrThrow();
    }

    NDArray norm(NDArray x, String name) {
      return LayerNorm.layerNorm(
              x,
              new Shape(config.hidden()),
              get(name + ".weight"),
              get(name + ".bias"),
              config.layerNormEps())
          .singletonOrThrow();
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes.clone();
  }
}
