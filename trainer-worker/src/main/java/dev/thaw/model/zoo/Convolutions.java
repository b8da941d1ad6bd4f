package dev.thaw.model.zoo;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The convolution the zoo architectures are made of: square kernel, no bias (BatchNorm follows).
 */
final class Convolutions {
  private Convolutions() {}

  /**
   * @param filters output channels
   * @param kernel kernel size
   * @param stride stride
   * @param groups 1 for a full convolution, the channel count for a depthwise one
   * @param padding symmetric zero padding on each side
   */
  static Conv2d withoutBias(int filters, int kernel, int stride, int groups, int padding) {
    return Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(padding, padding))
        .optGroups(groups)
        .optBias(false)
        .build();
  }
}
