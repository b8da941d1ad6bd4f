package dev.thaw.model.zoo;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.pooling.Pool;
import dev.thaw.model.nn.BatchNorm2d;
import dev.thaw.model.nn.Chain;
import dev.thaw.model.nn.Relu6;
import dev.thaw.model.nn.Residual;
import dev.thaw.model.nn.SamePadding2d;
import java.util.ArrayList;
import java.util.List;

/**
 * EfficientNet-Lite0 as DJL blocks, with the state-dict names of the {@code
 * efficientnet_lite_pytorch} port (lukemelas's EfficientNet-PyTorch layout), in nine layer groups:
 * the stem, the seven MBConv stages, and the 1x1 head convolution with global average pooling. Lite
 * means ReLU6, no squeeze-and-excitation, and a stem and head that are not scaled.
 *
 * <pre>
 * g0  _conv_stem, _bn0      conv 3x3/2 3->32, BN, ReLU6
 * g1  _blocks.0             MBConv k3 e1 c16  n1 s1
 * g2  _blocks.1-2           MBConv k3 e6 c24  n2 s2
 * g3  _blocks.3-4           MBConv k5 e6 c40  n2 s2
 * g4  _blocks.5-7           MBConv k3 e6 c80  n3 s2
 * g5  _blocks.8-10          MBConv k5 e6 c112 n3 s1
 * g6  _blocks.11-14         MBConv k5 e6 c192 n4 s2
 * g7  _blocks.15            MBConv k3 e6 c320 n1 s1
 * g8  _conv_head, _bn1      conv 1x1 320->1280, BN, ReLU6, global average pool
 * head _fc                  dropout 0.2, linear 1280->1000 (ImageNet)
 * </pre>
 *
 * Convolutions pad like TensorFlow's SAME ({@link SamePadding2d}); BatchNorm: eps 1e-3, momentum
 * 0.01; residual blocks drop their branch with probability 0.2 x block index / 16 while training
 * (stochastic depth).
 */
final class EfficientNetLite0 {
  private static final double EPS = 1e-3;
  private static final double MOMENTUM = 0.01;
  private static final double DROP_CONNECT = 0.2;

  /** kernel, expansion, output channels, blocks, first stride per stage. */
  private static final int[][] STAGES = {
    {3, 1, 16, 1, 1},
    {3, 6, 24, 2, 2},
    {5, 6, 40, 2, 2},
    {3, 6, 80, 3, 2},
    {5, 6, 112, 3, 1},
    {5, 6, 192, 4, 2},
    {3, 6, 320, 1, 1}
  };

  private static final int BLOCKS = 16;

  private EfficientNetLite0() {}

  /** Builds the backbone's groups and the ImageNet head, recording their state-dict names. */
  static ZooBackbone build() {
    StateDictBindings names = new StateDictBindings();
    List<Block> groups = new ArrayList<>();
    groups.add(convBnRelu(new Chain(), names, "_conv_stem", "_bn0", 32, 3, 2, 1));
    int in = 32;
    int index = 0;
    for (int[] stage : STAGES) {
      Chain group = new Chain();
      for (int i = 0; i < stage[3]; i++) {
        int stride = i == 0 ? stage[4] : 1;
        double drop = DROP_CONNECT * index / BLOCKS;
        group.add(
            mbConv(names, "_blocks." + index, in, stage[2], stage[0], stride, stage[1], drop));
        in = stage[2];
        index++;
      }
      groups.add(group);
    }
    Chain head = convBnRelu(new Chain(), names, "_conv_head", "_bn1", 1280, 1, 1, 1);
    head.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
    groups.add(head);
    return new ZooBackbone(groups, 1280, 1000, 0.2, names, "_fc");
  }

  private static Block mbConv(
      StateDictBindings names,
      String key,
      int in,
      int out,
      int kernel,
      int stride,
      int expansion,
      double dropRate) {
    Chain body = new Chain();
    int hidden = in * expansion;
    if (expansion != 1) {
      convBnRelu(body, names, key + "._expand_conv", key + "._bn0", hidden, 1, 1, 1);
    }
    convBnRelu(
        body, names, key + "._depthwise_conv", key + "._bn1", hidden, kernel, stride, hidden);
    body.add(names.conv(key + "._project_conv", Convolutions.withoutBias(out, 1, 1, 1, 0)));
    body.add(names.batchNorm(key + "._bn2", new BatchNorm2d(EPS, MOMENTUM)));
    return stride == 1 && in == out ? new Residual(body, dropRate) : body;
  }

  /** Appends conv (SAME padding, no bias), BN and ReLU6 to {@code into}. */
  private static Chain convBnRelu(
      Chain into,
      StateDictBindings names,
      String convKey,
      String bnKey,
      int filters,
      int kernel,
      int stride,
      int groups) {
    int pad = 0;
    if (stride == 1) {
      pad = (kernel - 1) / 2; // SAME at stride 1 is symmetric: the convolution pads itself
    } else {
      into.add(new SamePadding2d(kernel, stride));
    }
    into.add(names.conv(convKey, Convolutions.withoutBias(filters, kernel, stride, groups, pad)));
    into.add(names.batchNorm(bnKey, new BatchNorm2d(EPS, MOMENTUM)));
    into.add(new Relu6());
    return into;
  }
}
