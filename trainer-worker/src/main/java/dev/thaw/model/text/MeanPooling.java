package dev.thaw.model.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The mean of the token vectors a mask keeps (sentence-transformers' mean pooling): hidden states N
 * x L x H and mask N x L in, one N x H sentence vector out. Padding counts for nothing.
 */
public final class MeanPooling extends AbstractBlock {

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray hidden = inputs.get(0);
    NDArray mask = inputs.get(1).expandDims(2);
    NDArray sum = hidden.mul(mask).sum(new int[] {1});
    NDArray count = mask.sum(new int[] {1}).maximum(1e-9f);
    return new NDList(sum.div(count));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape hidden = inputShapes[0];
    return new Shape[] {new Shape(hidden.get(0), hidden.get(2))};
  }
}
