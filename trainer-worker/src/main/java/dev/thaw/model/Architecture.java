package dev.thaw.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thaw's built-in backbone family {@code thaw-cnn}: a small CNN for 28x28 images and up, as four or
 * more layer groups of 3x3 convolutions, so that freeze depth has something to choose from.
 *
 * <pre>
 * g0: conv(C -> w)  relu  maxpool 2      (28x28 -> 14x14)
 * g1: conv(w -> 2w) relu  maxpool 2      (14x14 -> 7x7)
 * g2: conv(2w -> 4w) relu
 * g3..g(n-1): conv(4w -> 4w) relu; the last adds global average pooling and flattens
 * head: dropout, linear(4w -> classes)
 * </pre>
 *
 * No batch normalisation: a frozen group then changes by not one bit, in training mode too.
 *
 * @param family always {@code thaw-cnn} for now
 * @param width channels of the first group (w)
 * @param groups number of layer groups (>= 4)
 * @param channels input channels
 * @param height input height
 * @param widthPx input width in pixels
 */
public record Architecture(
    String family, int width, int groups, int channels, int height, int widthPx) {
  private static final Pattern NAME = Pattern.compile("thaw-cnn(?:-w(\\d+))?(?:-g(\\d+))?");

  public Architecture {
    if (!"thaw-cnn".equals(family)) {
      throw new IllegalArgumentException("unknown architecture family '" + family + "'");
    }
    if (width < 1 || groups < 4 || channels < 1 || height < 4 || widthPx < 4) {
      throw new IllegalArgumentException(
          "thaw-cnn needs width >= 1, groups >= 4 and an input of at least 1x4x4 (got width "
              + width
              + ", groups "
              + groups
              + ", input "
              + channels
              + "x"
              + height
              + "x"
              + widthPx
              + ")");
    }
  }

  /**
   * Parses {@code thaw-cnn}, {@code thaw-cnn-w32} or {@code thaw-cnn-w8-g5} for a 1x28x28 input.
   */
  public static Architecture parse(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "unknown architecture '"
              + name
              + "'; use thaw-cnn, thaw-cnn-w<width> or thaw-cnn-w<width>-g<groups>");
    }
    int w = m.group(1) == null ? 16 : Integer.parseInt(m.group(1));
    int g = m.group(2) == null ? 4 : Integer.parseInt(m.group(2));
    return new Architecture("thaw-cnn", w, g, 1, 28, 28);
  }

  /** The canonical name, e.g. {@code thaw-cnn-w16-g4}. */
  public String name() {
    return family + "-w" + width + "-g" + groups;
  }

  /** Input shape without the batch axis (C, H, W). */
  public Shape inputShape() {
    return new Shape(channels, height, widthPx);
  }

  /** Size of the feature vector the head receives. */
  public int featureSize() {
    return 4 * width;
  }

  /** Builds fresh, uninitialised layer groups g0..g(n-1). */
  public List<Block> buildGroups() {
    List<Block> blocks = new ArrayList<>();
    blocks.add(convGroup(width, true, false));
    blocks.add(convGroup(2 * width, true, false));
    blocks.add(convGroup(4 * width, false, false));
    for (int i = 3; i < groups; i++) {
      blocks.add(convGroup(4 * width, false, i == groups - 1));
    }
    return blocks;
  }

  private static Block convGroup(int filters, boolean pool, boolean last) {
    SequentialBlock group =
        new SequentialBlock()
            .add(
                Conv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1))
                    .setFilters(filters)
                    .build())
            .add(Activation.reluBlock());
    if (pool) {
      group.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    }
    if (last) {
      group.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
    }
    return group;
  }
}
