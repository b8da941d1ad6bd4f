package dev.thaw.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;

/**
 * One image at its own size and channel count (1 for gray, 3 for anything else), as unsigned bytes
 * in C x H x W layout. Alpha is dropped.
 */
record DecodedImage(int channels, int height, int width, byte[] pixels) {

  static DecodedImage of(BufferedImage image) {
    int height = image.getHeight();
    int width = image.getWidth();
    int plane = height * width;
    ColorModel model = image.getColorModel();
    boolean gray =
        model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
            && !(model instanceof IndexColorModel);
    if (gray) {
      // Raw samples: getRGB would apply a linear-to-sRGB gamma to gray images.
      int[] samples = image.getRaster().getSamples(0, 0, width, height, 0, (int[]) null);
      double max = (1 << model.getComponentSize(0)) - 1;
      byte[] pixels = new byte[plane];
      for (int i = 0; i < plane; i++) {
        pixels[i] = (byte) Math.round(samples[i] * 255.0 / max);
      }
      return new DecodedImage(1, height, width, pixels);
    }
    int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
    byte[] pixels = new byte[3 * plane];
    for (int i = 0; i < plane; i++) {
      pixels[i] = (byte) (argb[i] >> 16);
      pixels[plane + i] = (byte) (argb[i] >> 8);
      pixels[2 * plane + i] = (byte) argb[i];
    }
    return new DecodedImage(3, height, width, pixels);
  }

  /** This image converted to {@code channels x height x width}, see {@link PixelResampler}. */
  byte[] convert(int channels, int height, int width) {
    byte[] out = new byte[channels * height * width];
    PixelResampler.resample(
        pixels, 0, this.channels, this.height, this.width, out, 0, channels, height, width);
    return out;
  }
}
