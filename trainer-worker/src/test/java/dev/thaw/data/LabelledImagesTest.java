package dev.thaw.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelledImagesTest {

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static int[] unsigned(byte[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] & 0xFF;
    }
    return out;
  }

  /** Four 1x1x2 images; image i holds (10 i, 10 i + 1); labels a, b, c, a. */
  private static LabelledImages four() {
    return new LabelledImages(
        1,
        1,
        2,
        bytes(0, 1, 10, 11, 20, 21, 30, 31),
        new int[] {0, 1, 2, 0},
        List.of("a", "b", "c"));
  }

  @Test
  void constructorRejectsInconsistentInput() {
    IllegalArgumentException length =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LabelledImages(1, 2, 2, new byte[7], new int[2], List.of("a", "b")));
    assertTrue(length.getMessage().contains("pixels has 7 bytes but 2 images of 1x2x2 need 8"));
    IllegalArgumentException label =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LabelledImages(1, 1, 1, new byte[2], new int[] {0, 2}, List.of("a", "b")));
    assertTrue(label.getMessage().contains("label 2 of image 1 is outside 0..1"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LabelledImages(0, 1, 1, new byte[0], new int[0], List.of("a")));
  }

  @Test
  void reportsSizesAndCounts() {
    LabelledImages images = four();
    assertEquals(4, images.size());
    assertEquals(2, images.imageSize());
    assertEquals(3, images.numClasses());
    assertArrayEquals(new int[] {2, 1, 1}, images.classCounts());
  }

  @Test
  void toFloatsScalesTo01() {
    LabelledImages images =
        new LabelledImages(1, 1, 3, bytes(0, 255, 128), new int[] {0}, List.of("a"));
    assertArrayEquals(new float[] {0f, 1f, 128 / 255f}, images.toFloats());
  }

  @Test
  void selectKeepsTheGivenOrder() {
    LabelledImages picked = four().select(new int[] {3, 1});
    assertArrayEquals(new int[] {30, 31, 10, 11}, unsigned(picked.pixels()));
    assertArrayEquals(new int[] {0, 1}, picked.labels());
    assertEquals(List.of("a", "b", "c"), picked.classNames());
    assertThrows(IllegalArgumentException.class, () -> four().select(new int[] {4}));
  }

  @Test
  void withClassesRelabelsInTheGivenOrder() {
    LabelledImages kept = four().withClasses(new int[] {2, 0});
    assertEquals(List.of("c", "a"), kept.classNames());
    assertArrayEquals(new int[] {1, 0, 1}, kept.labels());
    assertArrayEquals(new int[] {0, 1, 20, 21, 30, 31}, unsigned(kept.pixels()));
    assertThrows(IllegalArgumentException.class, () -> four().withClasses(new int[] {0, 0}));
    assertThrows(IllegalArgumentException.class, () -> four().withClasses(new int[] {3}));
  }

  @Test
  void resizedToTheSameShapeIsIdentity() {
    LabelledImages images = four();
    assertSame(images, images.resized(1, 1, 2));
  }

  @Test
  void bilinearUpsamplingUsesHalfPixelCentres() {
    LabelledImages row = new LabelledImages(1, 1, 2, bytes(0, 255), new int[] {0}, List.of("a"));
    // Source x for output x: (x + 0.5) / 2 - 0.5 = -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
    assertArrayEquals(new int[] {0, 64, 191, 255}, unsigned(row.resized(1, 1, 4).pixels()));
  }

  @Test
  void bilinearDownsamplingByTwoAveragesBlocks() {
    LabelledImages square =
        new LabelledImages(1, 2, 2, bytes(0, 100, 200, 50), new int[] {0}, List.of("a"));
    assertArrayEquals(new int[] {88}, unsigned(square.resized(1, 1, 1).pixels()));
  }

  @Test
  void grayToRgbReplicatesAndRgbToGrayUsesLuminance() {
    LabelledImages gray = new LabelledImages(1, 1, 2, bytes(7, 200), new int[] {0}, List.of("a"));
    assertArrayEquals(new int[] {7, 200, 7, 200, 7, 200}, unsigned(gray.resized(3, 1, 2).pixels()));

    // planes R = (200, 255), G = (100, 0), B = (50, 0)
    LabelledImages rgb =
        new LabelledImages(3, 1, 2, bytes(200, 255, 100, 0, 50, 0), new int[] {0}, List.of("a"));
    // 0.299*200 + 0.587*100 + 0.114*50 = 124.2; 0.299*255 = 76.2
    assertArrayEquals(new int[] {124, 76}, unsigned(rgb.resized(1, 1, 2).pixels()));
  }

  @Test
  void batchFloatsMatchesResizingTheWholeSet() {
    LabelledImages images = four();
    float[] batch = images.batchFloats(new int[] {2, 0}, 3, 2, 3);
    float[] whole = images.resized(3, 2, 3).select(new int[] {2, 0}).toFloats();
    assertArrayEquals(whole, batch);
    assertEquals(2 * 3 * 2 * 3, batch.length);
  }

  @Test
  void resizingBeyondOneArrayPointsToBatchFloats() {
    LabelledImages tiny = new LabelledImages(1, 1, 1, new byte[100], new int[100], List.of("a"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tiny.resized(3, 3000, 3000));
    assertTrue(e.getMessage().contains("batchFloats"), e.getMessage());
  }

  @Test
  void unsupportedChannelConversionIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> four().resized(2, 1, 2));
  }
}
