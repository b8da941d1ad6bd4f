package dev.thaw.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Images with class labels, held as unsigned bytes (0..255) in N x C x H x W layout: each image is
 * {@link #imageSize()} bytes, channel-major. Labels are in {@code 0..classNames.size()-1}.
 *
 * <p>The arrays are shared, not copied (datasets are tens of megabytes): treat {@link #pixels()}
 * and {@link #labels()} as read-only. Every method that changes something returns a new instance.
 */
public record LabelledImages(
    int channels, int height, int width, byte[] pixels, int[] labels, List<String> classNames)
    implements LabelledExamples {

  public LabelledImages {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "image shape must be positive, got " + channels + "x" + height + "x" + width);
    }
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    classNames = List.copyOf(classNames);
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("classNames must not be empty");
    }
    long expected = (long) labels.length * channels * height * width;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          String.format(
              "pixels has %d bytes but %d images of %dx%dx%d need %d",
              pixels.length, labels.length, channels, height, width, expected));
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " of image " + i + " is outside 0.." + (classNames.size() - 1));
      }
    }
  }

  /** Number of images. */
  @Override
  public int size() {
    return labels.length;
  }

  /** Bytes per image: channels x height x width. */
  public int imageSize() {
    return channels * height * width;
  }

  /** Number of classes (including classes with no images). */
  public int numClasses() {
    return classNames.size();
  }

  /** All pixels scaled to 0..1 ({@code pixel / 255f}), same layout as {@link #pixels()}. */
  public float[] toFloats() {
    float[] out = new float[pixels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (pixels[i] & 0xFF) / 255f;
    }
    return out;
  }

  /**
   * The images at {@code indices}, converted to {@code channels x height x width} and scaled to
   * 0..1, in N x C x H x W layout. Lets a trainer resize one batch at a time instead of the whole
   * set (28x28 MNIST at 3x224x224 would need 10 GB).
   */
  public float[] batchFloats(int[] indices, int channels, int height, int width) {
    checkTarget(channels, height, width);
    int outSize = channels * height * width;
    float[] out = new float[indices.length * outSize];
    byte[] image = new byte[outSize];
    for (int i = 0; i < indices.length; i++) {
      checkIndex(indices[i]);
      PixelResampler.resample(
          pixels,
          indices[i] * imageSize(),
          this.channels,
          this.height,
          this.width,
          image,
          0,
          channels,
          height,
          width);
      int base = i * outSize;
      for (int j = 0; j < outSize; j++) {
        out[base + j] = (image[j] & 0xFF) / 255f;
      }
    }
    return out;
  }

  /** The images at {@code indices}, in that order, with the same classes. */
  public LabelledImages select(int[] indices) {
    int imageSize = imageSize();
    byte[] newPixels = new byte[indices.length * imageSize];
    int[] newLabels = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      checkIndex(indices[i]);
      System.arraycopy(pixels, indices[i] * imageSize, newPixels, i * imageSize, imageSize);
      newLabels[i] = labels[indices[i]];
    }
    return new LabelledImages(channels, height, width, newPixels, newLabels, classNames);
  }

  /**
   * Keeps only the images of {@code classIds} and relabels them {@code 0..k-1} in the given order;
   * class names follow. Image order is unchanged.
   */
  public LabelledImages withClasses(int[] classIds) {
    if (classIds.length == 0) {
      throw new IllegalArgumentException("classIds must not be empty");
    }
    int[] newLabelOf = new int[classNames.size()];
    Arrays.fill(newLabelOf, -1);
    String[] newNames = new String[classIds.length];
    for (int i = 0; i < classIds.length; i++) {
      int id = classIds[i];
      if (id < 0 || id >= classNames.size()) {
        throw new IllegalArgumentException(
            "class " + id + " is outside 0.." + (classNames.size() - 1));
      }
      if (newLabelOf[id] >= 0) {
        throw new IllegalArgumentException("class " + id + " is listed twice");
      }
      newLabelOf[id] = i;
      newNames[i] = classNames.get(id);
    }
    int kept = 0;
    for (int label : labels) {
      if (newLabelOf[label] >= 0) {
        kept++;
      }
    }
    int imageSize = imageSize();
    byte[] newPixels = new byte[kept * imageSize];
    int[] newLabels = new int[kept];
    int j = 0;
    for (int i = 0; i < labels.length; i++) {
      if (newLabelOf[labels[i]] >= 0) {
        System.arraycopy(pixels, i * imageSize, newPixels, j * imageSize, imageSize);
        newLabels[j++] = newLabelOf[labels[i]];
      }
    }
    return new LabelledImages(channels, height, width, newPixels, newLabels, List.of(newNames));
  }

  /** Number of images per class, indexed by label. */
  @Override
  public int[] classCounts() {
    int[] counts = new int[classNames.size()];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /**
   * All images converted to {@code channels x height x width}: gray to RGB by replication, RGB to
   * gray by luminance, bilinear resize (see {@link PixelResampler}). Returns {@code this} when the
   * shape is already right.
   */
  public LabelledImages resized(int channels, int height, int width) {
    if (channels == this.channels && height == this.height && width == this.width) {
      return this;
    }
    checkTarget(channels, height, width);
    long bytes = (long) size() * channels * height * width;
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          String.format(
              "resizing %d images to %dx%dx%d needs %d bytes, more than one array holds;"
                  + " convert per batch with batchFloats",
              size(), channels, height, width, bytes));
    }
    int outSize = channels * height * width;
    byte[] out = new byte[(int) bytes];
    for (int i = 0; i < size(); i++) {
      PixelResampler.resample(
          pixels,
          i * imageSize(),
          this.channels,
          this.height,
          this.width,
          out,
          i * outSize,
          channels,
          height,
          width);
    }
    return new LabelledImages(channels, height, width, out, labels, classNames);
  }

  private static void checkTarget(int channels, int height, int width) {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "target shape must be positive, got " + channels + "x" + height + "x" + width);
    }
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= size()) {
      throw new IllegalArgumentException("image index " + index + " is outside 0.." + (size() - 1));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelledImages other
        && channels == other.channels
        && height == other.height
        && width == other.width
        && classNames.equals(other.classNames)
        && Arrays.equals(labels, other.labels)
        && Arrays.equals(pixels, other.pixels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        channels, height, width, classNames, Arrays.hashCode(labels), Arrays.hashCode(pixels));
  }

  @Override
  public String toString() {
    return String.format(
        "LabelledImages[%d images of %dx%dx%d, classes=%s]",
        size(), channels, height, width, classNames);
  }
}
