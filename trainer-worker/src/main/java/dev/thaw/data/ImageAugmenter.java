package dev.thaw.data;

import dev.thaw.trial.Augmentation;
import java.util.SplittableRandom;

/**
 * Train-time augmentation of images in memory: random resized crop (a box of {@value #MIN_AREA} to
 * 1 of the area, aspect ratio 3/4 to 4/3, resized back to the image's size, as torchvision's {@code
 * RandomResizedCrop} draws it) and horizontal flip with probability 1/2. Draws come from one seeded
 * generator, so a trial's augmented epochs repeat exactly.
 */
public final class ImageAugmenter {
  /** Smallest share of the image's area a crop keeps. */
  public static final double MIN_AREA = 0.35;

  private static final double LOG_MIN_RATIO = Math.log(3.0 / 4.0);
  private static final double LOG_MAX_RATIO = Math.log(4.0 / 3.0);
  private static final int CROP_ATTEMPTS = 10;

  private final LabelledImages images;
  private final Augmentation augmentation;
  private final SplittableRandom random;

  /**
   * @param images the training images (already at the network's input size)
   * @param augmentation what to draw
   * @param random the trial's augmentation generator
   */
  public ImageAugmenter(LabelledImages images, Augmentation augmentation, SplittableRandom random) {
    this.images = images;
    this.augmentation = augmentation;
    this.random = random;
  }

  /** The images at {@code indices}, each freshly augmented, as N x C x H x W bytes. */
  public byte[] batch(long[] indices) {
    int c = images.channels();
    int h = images.height();
    int w = images.width();
    int size = images.imageSize();
    byte[] out = new byte[indices.length * size];
    for (int i = 0; i < indices.length; i++) {
      int srcOffset = Math.toIntExact(indices[i]) * size;
      int dstOffset = i * size;
      if (augmentation.crops()) {
        double[] box = cropBox(h, w);
        PixelResampler.resampleBox(
            images.pixels(),
            srcOffset,
            c,
            h,
            w,
            box[0],
            box[1],
            box[2],
            box[3],
            out,
            dstOffset,
            h,
            w);
      } else {
        System.arraycopy(images.pixels(), srcOffset, out, dstOffset, size);
      }
      if (augmentation.flips() && random.nextBoolean()) {
        flip(out, dstOffset, c, h, w);
      }
    }
    return out;
  }

  /** top, left, height, width of a random box; the whole image when no draw fits. */
  private double[] cropBox(int h, int w) {
    double area = (double) h * w;
    for (int attempt = 0; attempt < CROP_ATTEMPTS; attempt++) {
      double target = area * (MIN_AREA + random.nextDouble() * (1 - MIN_AREA));
      double ratio =
          Math.exp(LOG_MIN_RATIO + random.nextDouble() * (LOG_MAX_RATIO - LOG_MIN_RATIO));
      double bw = Math.sqrt(target * ratio);
      double bh = Math.sqrt(target / ratio);
      if (bw <= w && bh <= h) {
        return new double[] {
          random.nextDouble() * (h - bh), random.nextDouble() * (w - bw), bh, bw
        };
      }
    }
    return new double[] {0, 0, h, w};
  }

  private static void flip(byte[] image, int offset, int c, int h, int w) {
    for (int row = 0; row < c * h; row++) {
      int start = offset + row * w;
      for (int left = 0, right = w - 1; left < right; left++, right--) {
        byte t = image[start + left];
        image[start + left] = image[start + right];
        image[start + right] = t;
      }
    }
  }
}
