package dev.thaw.data;

/**
 * Converts one image between channel counts and sizes, on unsigned bytes in C x H x W layout.
 *
 * <p>Gray to RGB replicates the plane; RGB to gray uses ITU-R BT.601 luminance ({@code 0.299 R +
 * 0.587 G + 0.114 B}, rounded). Resizing is bilinear with half-pixel centres (like OpenCV and
 * PyTorch with {@code align_corners=false}), edges clamped, results rounded to the nearest byte.
 */
final class PixelResampler {

  private PixelResampler() {}

  /**
   * Reads one {@code srcC x srcH x srcW} image at {@code srcOffset}, writes the result at {@code
   * dstOffset}.
   */
  static void resample(
      byte[] src,
      int srcOffset,
      int srcC,
      int srcH,
      int srcW,
      byte[] dst,
      int dstOffset,
      int dstC,
      int dstH,
      int dstW) {
    checkChannels(srcC, dstC);
    int dstPlane = dstH * dstW;
    if (dstC < srcC) {
      byte[] gray = luminance(src, srcOffset, srcH, srcW);
      resizePlane(gray, 0, srcH, srcW, dst, dstOffset, dstH, dstW);
      return;
    }
    int srcPlane = srcH * srcW;
    for (int c = 0; c < srcC; c++) {
      resizePlane(
          src, srcOffset + c * srcPlane, srcH, srcW, dst, dstOffset + c * dstPlane, dstH, dstW);
    }
    for (int c = srcC; c < dstC; c++) {
      System.arraycopy(dst, dstOffset, dst, dstOffset + c * dstPlane, dstPlane);
    }
  }

  private static void checkChannels(int srcC, int dstC) {
    boolean supported = srcC == dstC || (srcC == 1 && dstC == 3) || (srcC == 3 && dstC == 1);
    if (!supported) {
      throw new IllegalArgumentException(
          "cannot convert images from " + srcC + " to " + dstC + " channels; supported: 1 and 3");
    }
  }

  private static byte[] luminance(byte[] src, int offset, int h, int w) {
    int plane = h * w;
    byte[] gray = new byte[plane];
    for (int i = 0; i < plane; i++) {
      int r = src[offset + i] & 0xFF;
      int g = src[offset + plane + i] & 0xFF;
      int b = src[offset + 2 * plane + i] & 0xFF;
      gray[i] = (byte) Math.round(0.299f * r + 0.587f * g + 0.114f * b);
    }
    return gray;
  }

  /**
   * Resizes the box {@code (top, left, boxH, boxW)} (in pixels, within the image) of every plane of
   * a {@code c x h x w} image to {@code c x nh x nw}: a random resized crop. Same sampling as a
   * resize, the box taking the image's place.
   */
  static void resampleBox(
      byte[] src,
      int srcOffset,
      int c,
      int h,
      int w,
      double top,
      double left,
      double boxH,
      double boxW,
      byte[] dst,
      int dstOffset,
      int nh,
      int nw) {
    int[] x0 = new int[nw];
    int[] x1 = new int[nw];
    float[] fx = new float[nw];
    sampleGrid(w, left, boxW, nw, x0, x1, fx);
    int[] y0 = new int[nh];
    int[] y1 = new int[nh];
    float[] fy = new float[nh];
    sampleGrid(h, top, boxH, nh, y0, y1, fy);
    for (int p = 0; p < c; p++) {
      interpolate(
          src, srcOffset + p * h * w, w, x0, x1, fx, y0, y1, fy, dst, dstOffset + p * nh * nw);
    }
  }

  private static void resizePlane(
      byte[] src, int srcOffset, int h, int w, byte[] dst, int dstOffset, int nh, int nw) {
    if (h == nh && w == nw) {
      System.arraycopy(src, srcOffset, dst, dstOffset, h * w);
      return;
    }
    int[] x0 = new int[nw];
    int[] x1 = new int[nw];
    float[] fx = new float[nw];
    sampleGrid(w, 0, w, nw, x0, x1, fx);
    int[] y0 = new int[nh];
    int[] y1 = new int[nh];
    float[] fy = new float[nh];
    sampleGrid(h, 0, h, nh, y0, y1, fy);
    interpolate(src, srcOffset, w, x0, x1, fx, y0, y1, fy, dst, dstOffset);
  }

  private static void interpolate(
      byte[] src,
      int srcOffset,
      int w,
      int[] x0,
      int[] x1,
      float[] fx,
      int[] y0,
      int[] y1,
      float[] fy,
      byte[] dst,
      int dstOffset) {
    int nh = y0.length;
    int nw = x0.length;
    for (int y = 0; y < nh; y++) {
      int top = srcOffset + y0[y] * w;
      int bottom = srcOffset + y1[y] * w;
      for (int x = 0; x < nw; x++) {
        float upper = lerp(src[top + x0[x]] & 0xFF, src[top + x1[x]] & 0xFF, fx[x]);
        float lower = lerp(src[bottom + x0[x]] & 0xFF, src[bottom + x1[x]] & 0xFF, fx[x]);
        int v = (int) (lerp(upper, lower, fy[y]) + 0.5f);
        dst[dstOffset + y * nw + x] = (byte) Math.min(255, Math.max(0, v));
      }
    }
  }

  /** Sample positions of {@code newSize} pixels spread over {@code [start, start + length)}. */
  private static void sampleGrid(
      int size, double start, double length, int newSize, int[] lo, int[] hi, float[] frac) {
    double scale = length / newSize;
    for (int i = 0; i < newSize; i++) {
      double s = Math.min(size - 1, Math.max(0, start + (i + 0.5) * scale - 0.5));
      lo[i] = (int) s;
      hi[i] = Math.min(lo[i] + 1, size - 1);
      frac[i] = (float) (s - lo[i]);
    }
  }

  private static float lerp(float a, float b, float t) {
    return a + (b - a) * t;
  }
}
