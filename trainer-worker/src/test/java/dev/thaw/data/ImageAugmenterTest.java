package dev.thaw.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.trial.Augmentation;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Augmented batches: exact flips, seeded crops, untouched images without augmentation. */
class ImageAugmenterTest {
  /** Two 1 x 2 x 3 images: rows 1 2 3 / 4 5 6 and 7 8 9 / 10 11 12. */
  private static final LabelledImages IMAGES =
      new LabelledImages(
          1,
          2,
          3,
          new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
          new int[] {0, 1},
          List.of("a", "b"));

  @Test
  void noneGivesTheImagesAsTheyAre() {
    byte[] batch =
        new ImageAugmenter(IMAGES, Augmentation.NONE, new SplittableRandom(1))
            .batch(new long[] {1, 0});
    assertArrayEquals(new byte[] {7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6}, batch);
  }

  @Test
  void aFlipMirrorsEachRowAndHappensAboutHalfTheTime() {
    ImageAugmenter flips = new ImageAugmenter(IMAGES, Augmentation.FLIP, new SplittableRandom(7));
    int flipped = 0;
    for (int i = 0; i < 200; i++) {
      byte[] b = flips.batch(new long[] {0});
      if (b[0] == 3) {
        assertArrayEquals(new byte[] {3, 2, 1, 6, 5, 4}, b);
        flipped++;
      } else {
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, b);
      }
    }
    assertTrue(flipped > 70 && flipped < 130, flipped + " of 200 flipped");
  }

  @Test
  void cropsRepeatWithTheSeedAndVaryBetweenDraws() {
    byte[] gradient = new byte[32 * 32];
    for (int i = 0; i < gradient.length; i++) {
      gradient[i] = (byte) (i % 32 * 8);
    }
    LabelledImages image = new LabelledImages(1, 32, 32, gradient, new int[] {0}, List.of("a"));
    ImageAugmenter a = new ImageAugmenter(image, Augmentation.CROP, new SplittableRandom(3));
    ImageAugmenter b = new ImageAugmenter(image, Augmentation.CROP, new SplittableRandom(3));
    byte[] first = a.batch(new long[] {0});
    assertArrayEquals(first, b.batch(new long[] {0}), "same seed, same crop");
    assertFalse(Arrays.equals(first, a.batch(new long[] {0})), "a new draw each time");
    assertFalse(Arrays.equals(first, gradient), "cropped and resized");
  }
}
