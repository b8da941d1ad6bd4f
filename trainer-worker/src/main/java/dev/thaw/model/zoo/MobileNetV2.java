package dev.thaw.model.zoo;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.pooling.Pool;
import dev.thaw.model.nn.BatchNorm2d;
import dev.thaw.model.nn.Chain;
import dev.thaw.model.nn.Relu6;
import dev.thaw.model.nn.Residual;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's MobileNetV2 (width 1.0) as DJL blocks, with torchvision's state-dict names, in nine
 * layer groups: the stem convolution, the seven bottleneck stages, and the final 1x1 convolution
 * with global average pooling.
 *
 * <pre>
 * g0  features.0      conv 3x3/2 3->32, BN, ReLU6
 * g1  features.1      bottleneck t=1 c=16  n=1 s=1
 * g2  features.2-3    bottleneck t=6 c=24  n=2 s=2
 * g3  features.4-6    bottleneck t=6 c=32  n=3 s=2
 * g4  features.7-10   bottleneck t=6 c=64  n=4 s=2
 * g5  features.11-13  bottleneck t=6 c=96  n=3 s=1
 * g6  features.14-16  bottleneck t=6 c=160 n=3 s=2
 * g7  features.17     bottleneck t=6 c=320 n=1 s=1
 * g8  features.18     conv 1x1 320->1280, BN, ReLU6, global average pool
 * head classifier     dropout 0.2, linear 1280->1000 (ImageNet)
 * </pre>
 *
 * BatchNorm: eps 1e-5, momentum 0.1, as torchvision.
 */
final class MobileNetV2 {
  private static final double EPS = 1e-5;
  private static final double MOMENTUM = 0.1;

  /** t (expansion), c (output channels), n (blocks), s (first block's stride) per stage. */
  private static final int[][] STAGES = {
    {1, 16, 1, 1},
    {6, 24, 2, 2},
    {6, 32, 3, 2},
    {6, 64, 4, 2},
    {6, 96, 3, 1},
    {6, 160, 3, 2},
    {6, 320, 1, 1}
  };

  private MobileNetV2() {}

  /** Builds the backbone's groups and the ImageNet head, recording their state-dict names. */
  static ZooBackbone build() {
    StateDictBindings names = new StateDictBindings();
    List<Block> groups = new ArrayList<>();
    groups.add(convBnRelu(names, "features.0", 32, 3, 2, 1));
    int in = 32;
    int index = 1;
    for (int[] stage : STAGES) {
      Chain group = new Chain();
      for (int i = 0; i < stage[2]; i++) {
        int stride = i == 0 ? stage[3] : 1;
        group.add(invertedResidual(names, "features." + index, in, stage[1], stride, stage[0]));
        in = stage[1];
        index++;
      }
      groups.add(group);
    }
    Chain last = convBnRelu(names, "features." + index, 1280, 1, 1, 1);
    last.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
    groups.add(last);
    return new ZooBackbone(groups, 1280, 1000, 0.2, names, "classifier.1");
  }

  private static Block invertedResidual(
      StateDictBindings names, String key, int in, int out, int stride, int expansion) {
    int hidden = in * expansion;
    Chain body = new Chain();
    int layer = 0;
    if (expansion != 1) {
      body.add(convBnRelu(names, key + ".conv." + layer++, hidden, 1, 1, 1));
    }
    body.add(convBnRelu(names, key + ".conv." + layer++, hidden, 3, stride, hidden));
    body.add(names.conv(key + ".conv." + layer++, Convolutions.withoutBias(out, 1, 1, 1, 0)));
    body.add(names.batchNorm(key + ".conv." + layer, new BatchNorm2d(EPS, MOMENTUM)));
    return stride == 1 && in == out ? new Residual(body, 0) : body;
  }

  /**
   * torchvision's Conv2dNormActivation: conv (no bias), BN, ReLU6, as {@code key.0}, {@code key.1}.
   */
  private static Chain convBnRelu(
      StateDictBindings names, String key, int filters, int kernel, int stride, int groups) {
    Chain chain = new Chain();
    chain.add(
        names.conv(
            key + ".0",
            Convolutions.withoutBias(filters, kernel, stride, groups, (kernel - 1) / 2)));
    chain.add(names.batchNorm(key + ".1", new BatchNorm2d(EPS, MOMENTUM)));
    chain.add(new Relu6());
    return chain;
  }
}
