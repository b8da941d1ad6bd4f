package dev.thaw.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCacheFileTest {

  @TempDir Path dir;

  private static LabelledImages sample() {
    byte[] pixels = new byte[3 * 2 * 2 * 2];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 11);
    }
    return new LabelledImages(
        2, 2, 2, pixels, new int[] {2, 0, 1}, List.of("T-shirt/top", "ü", "c"));
  }

  @Test
  void roundTripsAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("x.bin");
    DatasetCacheFile.write(file, "x@1", sample());
    assertEquals(sample(), DatasetCacheFile.read(file, "x@1"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
    DatasetCacheFile.write(file, "x@1", sample().select(new int[] {1}));
    assertEquals(1, DatasetCacheFile.read(file, "x@1").size());
  }

  @Test
  void rejectsAnotherSource() throws IOException {
    Path file = dir.resolve("x.bin");
    DatasetCacheFile.write(file, "x@1", sample());
    IOException e = assertThrows(IOException.class, () -> DatasetCacheFile.read(file, "x@2"));
    assertEquals("holds x@1, expected x@2", e.getMessage());
  }

  @Test
  void rejectsATruncatedFile() throws IOException {
    Path file = dir.resolve("x.bin");
    DatasetCacheFile.write(file, "x@1", sample());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
    IOException e = assertThrows(IOException.class, () -> DatasetCacheFile.read(file, "x@1"));
    assertTrue(e.getMessage().contains("header announces"), e.getMessage());
  }

  @Test
  void rejectsAFlippedPixel() throws IOException {
    Path file = dir.resolve("x.bin");
    DatasetCacheFile.write(file, "x@1", sample());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 12] ^= 1;
    Files.write(file, bytes);
    IOException e = assertThrows(IOException.class, () -> DatasetCacheFile.read(file, "x@1"));
    assertEquals("checksum mismatch, the file is corrupt", e.getMessage());
  }

  @Test
  void rejectsAForeignFile() throws IOException {
    Path file = Files.writeString(dir.resolve("x.bin"), "hello, this is not a cache file at all");
    IOException e = assertThrows(IOException.class, () -> DatasetCacheFile.read(file, "x@1"));
    assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
  }
}
