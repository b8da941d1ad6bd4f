package dev.thaw.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.task.DatasetException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

  @TempDir Path root;

  private static Path gray(Path file, int width, int height, int value) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, value);
      }
    }
    return write(image, file);
  }

  private static Path rgb(Path file, int width, int height, int rgb) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return write(image, file);
  }

  private static Path write(BufferedImage image, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    String name = file.getFileName().toString().toLowerCase();
    String format = name.endsWith(".png") ? "png" : "jpg";
    assertTrue(ImageIO.write(image, format, file.toFile()), "no writer for " + format);
    return file;
  }

  private static int[] unsigned(byte[] values, int from, int to) {
    int[] out = new int[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = values[i] & 0xFF;
    }
    return out;
  }

  private static int[] filled(int length, int value) {
    int[] out = new int[length];
    Arrays.fill(out, value);
    return out;
  }

  @Test
  void classesAreSortedFolderNamesAndHiddenOrOtherFilesAreIgnored() throws IOException {
    gray(root.resolve("zebra/1.png"), 4, 4, 10);
    gray(root.resolve("cat/b.png"), 5, 3, 20);
    rgb(root.resolve("cat/a.PNG"), 6, 6, 0x112233);
    rgb(root.resolve("dog/x.jpg"), 8, 8, 0x808080);
    rgb(root.resolve("dog/y.JPEG"), 3, 9, 0x808080);
    gray(root.resolve("dog/.hidden.png"), 4, 4, 0);
    gray(root.resolve(".git/1.png"), 4, 4, 0);
    Files.writeString(root.resolve("dog/notes.txt"), "not an image");
    Files.writeString(root.resolve("README.md"), "top-level files are ignored");

    LabelledImages images = ImageFolderDataset.load(root, 3, 8, 6);

    assertEquals(List.of("cat", "dog", "zebra"), images.classNames());
    assertArrayEquals(new int[] {0, 0, 1, 1, 2}, images.labels());
    assertEquals(3, images.channels());
    assertEquals(8, images.height());
    assertEquals(6, images.width());
    assertEquals(5 * 3 * 8 * 6, images.pixels().length);
    // Within a class, files are read in name order: cat/a.PNG (RGB 0x112233) before cat/b.png.
    int plane = 8 * 6;
    assertArrayEquals(filled(plane, 0x11), unsigned(images.pixels(), 0, plane));
    assertArrayEquals(filled(plane, 0x33), unsigned(images.pixels(), 2 * plane, 3 * plane));
  }

  @Test
  void grayImagesAreReplicatedToRgb() throws IOException {
    gray(root.resolve("a/1.png"), 5, 7, 77);
    gray(root.resolve("b/1.png"), 2, 2, 0);
    LabelledImages images = ImageFolderDataset.load(root, 3, 4, 4);
    assertArrayEquals(filled(3 * 16, 77), unsigned(images.pixels(), 0, 3 * 16));
  }

  @Test
  void rgbImagesBecomeGrayByLuminance() throws IOException {
    rgb(root.resolve("a/1.png"), 3, 3, 0xC86432); // (200, 100, 50) -> 124.2
    rgb(root.resolve("b/1.png"), 3, 3, 0xFF0000); // (255, 0, 0) -> 76.2
    LabelledImages images = ImageFolderDataset.load(root, 1, 2, 2);
    assertArrayEquals(
        new int[] {124, 124, 124, 124, 76, 76, 76, 76}, unsigned(images.pixels(), 0, 8));
  }

  @Test
  void grayValuesAreReadWithoutGammaAndResizedBilinearly() throws IOException {
    BufferedImage ramp = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    ramp.getRaster().setSample(0, 0, 0, 0);
    ramp.getRaster().setSample(1, 0, 0, 255);
    write(ramp, root.resolve("a/ramp.png"));
    gray(root.resolve("b/mid.png"), 1, 1, 100);
    LabelledImages images = ImageFolderDataset.load(root, 1, 1, 4);
    assertArrayEquals(
        new int[] {0, 64, 191, 255, 100, 100, 100, 100}, unsigned(images.pixels(), 0, 8));
  }

  @Test
  void sixteenBitGrayAndAlphaAreHandled() throws IOException {
    BufferedImage deep = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
    for (int i = 0; i < 4; i++) {
      deep.getRaster().setSample(i % 2, i / 2, 0, 65535);
    }
    write(deep, root.resolve("a/deep.png"));
    BufferedImage translucent = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
    for (int i = 0; i < 4; i++) {
      translucent.setRGB(i % 2, i / 2, 0x800A141E);
    }
    write(translucent, root.resolve("b/alpha.png"));
    LabelledImages images = ImageFolderDataset.load(root, 3, 2, 2);
    assertArrayEquals(filled(12, 255), unsigned(images.pixels(), 0, 12));
    assertArrayEquals(
        new int[] {10, 10, 10, 10, 20, 20, 20, 20, 30, 30, 30, 30},
        unsigned(images.pixels(), 12, 24));
  }

  @Test
  void jpegColoursSurviveWithinCompressionError() throws IOException {
    rgb(root.resolve("a/1.jpg"), 16, 16, 0xC86432);
    rgb(root.resolve("b/1.jpeg"), 16, 16, 0x000000);
    LabelledImages images = ImageFolderDataset.load(root, 3, 16, 16);
    int plane = 256;
    int[] expected = {200, 100, 50};
    for (int c = 0; c < 3; c++) {
      for (int value : unsigned(images.pixels(), c * plane, (c + 1) * plane)) {
        assertTrue(Math.abs(value - expected[c]) <= 4, "channel " + c + " value " + value);
      }
    }
  }

  @Test
  void missingFolderIsNamed() {
    Path missing = root.resolve("nope");
    DatasetException e =
        assertThrows(DatasetException.class, () -> ImageFolderDataset.load(missing, 3, 8, 8));
    assertEquals("dataset folder " + missing + " does not exist", e.getMessage());
  }

  @Test
  void aFileIsNotADatasetFolder() throws IOException {
    Path file = Files.writeString(root.resolve("file.txt"), "x");
    DatasetException e =
        assertThrows(DatasetException.class, () -> ImageFolderDataset.load(file, 3, 8, 8));
    assertEquals("dataset path " + file + " is not a directory", e.getMessage());
  }

  @Test
  void classFolderWithoutImagesIsNamed() throws IOException {
    gray(root.resolve("cat/1.png"), 2, 2, 1);
    Files.createDirectories(root.resolve("dog"));
    Files.writeString(root.resolve("dog/readme.txt"), "no images here");
    DatasetException e =
        assertThrows(DatasetException.class, () -> ImageFolderDataset.load(root, 1, 2, 2));
    assertEquals(
        "class folder " + root.resolve("dog") + " contains no PNG or JPEG images", e.getMessage());
  }

  @Test
  void garbageImageFileIsNamed() throws IOException {
    gray(root.resolve("cat/1.png"), 2, 2, 1);
    Path bad = root.resolve("dog/3.png");
    Files.createDirectories(bad.getParent());
    Files.writeString(bad, "this is not a png");
    DatasetException e =
        assertThrows(DatasetException.class, () -> ImageFolderDataset.load(root, 1, 2, 2));
    assertTrue(e.getMessage().startsWith("cannot read image " + bad + ": "), e.getMessage());
  }

  @Test
  void truncatedImageFileIsNamed() throws IOException {
    gray(root.resolve("cat/1.png"), 2, 2, 1);
    Path good = rgb(root.resolve("dog/3.png"), 32, 32, 0x123456);
    byte[] bytes = Files.readAllBytes(good);
    Files.write(good, Arrays.copyOf(bytes, bytes.length / 2));
    DatasetException e =
        assertThrows(DatasetException.class, () -> ImageFolderDataset.load(root, 1, 2, 2));
    assertTrue(e.getMessage().startsWith("cannot read image " + good + ": "), e.getMessage());
  }

  @Test
  void oneClassIsNotEnough() throws IOException {
    gray(root.resolve("cat/1.png"), 2, 2, 1);
    DatasetException e =
        assertThrows(DatasetException.class, () -> ImageFolderDataset.load(root, 1, 2, 2));
    assertEquals(
        "dataset " + root + " has 1 class folder (cat); at least 2 are needed", e.getMessage());
  }

  @Test
  void noClassFolderIsNotEnough() {
    DatasetException e =
        assertThrows(DatasetException.class, () -> ImageFolderDataset.load(root, 1, 2, 2));
    assertEquals(
        "dataset " + root + " has no class folders; it needs one sub-folder of images per class",
        e.getMessage());
  }

  @Test
  void unsupportedChannelCountIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> ImageFolderDataset.load(root, 2, 2, 2));
  }
}
