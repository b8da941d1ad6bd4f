package dev.thaw.model.zoo;

import ai.djl.nn.Block;
import java.util.List;

/**
 * A zoo architecture as built: its layer groups g0..g(n-1) (the last one pools and flattens), the
 * shape of its source head, and the state-dict names of every backbone parameter.
 *
 * @param groups the layer groups, input side first
 * @param featureSize size of the feature vector the head receives
 * @param sourceClasses outputs of the source task's head (1000 for ImageNet)
 * @param sourceDropout dropout before the source head
 * @param names the backbone's state-dict bindings
 * @param headKey the state-dict name of the source head's linear layer, e.g. {@code classifier.1}
 */
record ZooBackbone(
    List<Block> groups,
    int featureSize,
    int sourceClasses,
    double sourceDropout,
    StateDictBindings names,
    String headKey) {
  ZooBackbone {
    groups = List.copyOf(groups);
  }
}
