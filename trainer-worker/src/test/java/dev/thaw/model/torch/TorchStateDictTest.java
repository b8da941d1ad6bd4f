package dev.thaw.model.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.data.ThawPaths;
import dev.thaw.task.ModelLoadException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads the fixtures that {@code make_fixtures.py} (beside them in the test resources) wrote with
 * torch.save, in both formats; their values are aranges, so the expected values are written out.
 */
class TorchStateDictTest {
  private static final List<String> KEYS =
      List.of(
          "f32",
          "f64",
          "f16",
          "bf16",
          "num_batches_tracked",
          "i32",
          "i16",
          "i8",
          "u8",
          "flags",
          "transposed",
          "column",
          "head",
          "tail",
          "expanded",
          "pointwise",
          "param");

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"legacy.pth", "zip.pth"})
  void readsEveryDtypeShapeAndValueInKeyOrder(String fixture) {
    TorchStateDict sd = TorchStateDict.read(fixture(fixture));

    assertEquals(KEYS, List.copyOf(sd.tensors().sequencedKeySet()));
    assertFloats(
        sd, "f32", TorchDType.FLOAT32, new long[] {3, 4}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    assertFloats(sd, "f64", TorchDType.FLOAT64, new long[] {2, 3}, 0, .25f, .5f, .75f, 1, 1.25f);
    assertFloats(sd, "f16", TorchDType.FLOAT16, new long[] {5}, 0, .5f, 1, 1.5f, 2);
    assertFloats(sd, "bf16", TorchDType.BFLOAT16, new long[] {4}, -1.5f, -.5f, .5f, 1.5f);
    assertLongs(sd, "num_batches_tracked", TorchDType.INT64, new long[] {}, 7);
    assertLongs(sd, "i32", TorchDType.INT32, new long[] {6}, -3, -2, -1, 0, 1, 2);
    assertLongs(sd, "i16", TorchDType.INT16, new long[] {4}, -2000, -1000, 0, 1000);
    assertLongs(sd, "i8", TorchDType.INT8, new long[] {8}, -4, -3, -2, -1, 0, 1, 2, 3);
    assertLongs(sd, "u8", TorchDType.UINT8, new long[] {6}, 250, 251, 252, 253, 254, 255);
    assertLongs(sd, "flags", TorchDType.BOOL, new long[] {3}, 1, 0, 1);
    assertFloats(sd, "param", TorchDType.FLOAT32, new long[] {3}, .5f, 1.5f, 2.5f);
  }

  @ParameterizedTest
  @ValueSource(strings = {"legacy.pth", "zip.pth"})
  void materialisesViewsWithTheirOffsetsAndStrides(String fixture) {
    TorchStateDict sd = TorchStateDict.read(fixture(fixture));

    // grid.t(): strides (1, 4) over the storage of f32.
    assertFloats(
        sd,
        "transposed",
        TorchDType.FLOAT32,
        new long[] {4, 3},
        0,
        4,
        8,
        1,
        5,
        9,
        2,
        6,
        10,
        3,
        7,
        11);
    // grid[:, 1]: storage offset 1, stride 4.
    assertFloats(sd, "column", TorchDType.FLOAT32, new long[] {3}, 1, 5, 9);
    // arange(10)[:4] and arange(10)[4:].view(2, 3): one storage, the second at offset 4.
    assertFloats(sd, "head", TorchDType.FLOAT32, new long[] {4}, 0, 1, 2, 3);
    assertFloats(sd, "tail", TorchDType.FLOAT32, new long[] {2, 3}, 4, 5, 6, 7, 8, 9);
    // arange(3).expand(2, 3): stride 0.
    assertFloats(sd, "expanded", TorchDType.FLOAT32, new long[] {2, 3}, 0, 1, 2, 0, 1, 2);
    // arange(6).reshape(3, 2, 1, 1).permute(1, 0, 2, 3): strides (1, 2, 1, 1).
    assertFloats(sd, "pointwise", TorchDType.FLOAT32, new long[] {2, 3, 1, 1}, 0, 2, 4, 1, 3, 5);
  }

  @Test
  void bothFormatsReadTheSameTensors() {
    assertEquals(
        TorchStateDict.read(fixture("legacy.pth")).tensors(),
        TorchStateDict.read(fixture("zip.pth")).tensors());
  }

  @Test
  void aCheckpointIsReadFromItsNestedStateDict() {
    TorchStateDict sd = TorchStateDict.read(fixture("checkpoint.pth"));

    assertEquals(List.of("w"), List.copyOf(sd.tensors().keySet()));
    assertFloats(sd, "w", TorchDType.FLOAT32, new long[] {4}, 0, 1, 2, 3);
    assertTrue(sd.get("epoch").isEmpty());
  }

  @Test
  void readingIntegersAsFloatsOrFloatsAsIntegersNamesTheTensorAndDtype() {
    TorchStateDict sd = TorchStateDict.read(fixture("zip.pth"));

    IllegalStateException asFloats =
        assertThrows(IllegalStateException.class, () -> sd.get("i32").orElseThrow().toFloats());
    assertEquals(
        "tensor 'i32' holds INT32 values, not floating-point ones; read it with toLongs()",
        asFloats.getMessage());
    IllegalStateException asLongs =
        assertThrows(IllegalStateException.class, () -> sd.get("f16").orElseThrow().toLongs());
    assertEquals(
        "tensor 'f16' holds FLOAT16 values, not integer ones; read it with toFloats()",
        asLongs.getMessage());
  }

  @Test
  void aGlobalThatRunsACommandIsRefusedByName() {
    Path file = fixture("os_system.pth");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchStateDict.read(file));
    assertMessage(
        e,
        file
            + " holds an object of type 'posix.system', which a state dict never holds; only"
            + " tensors are read (byte offset ");
  }

  @Test
  void anObjectOfAnUnknownClassIsRefusedByName() {
    Path file = fixture("unknown_class.pth");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchStateDict.read(file));
    assertMessage(
        e,
        file
            + " holds an object of type '__main__.Config', which a state dict never holds; only"
            + " tensors are read (byte ");
    assertMessage(e, " of zip entry 'unknown_class/data.pkl')");
  }

  @Test
  void aTruncatedLegacyFileNamesTheStorageItCannotRead() throws IOException {
    byte[] whole = Files.readAllBytes(fixture("legacy.pth"));
    Path file = temp.resolve("truncated.pth");
    Files.write(file, Arrays.copyOf(whole, whole.length - 5));

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchStateDict.read(file));
    // The legacy format orders storages by key, a memory address: which one is last varies.
    Matcher m =
        Pattern.compile(
                Pattern.quote(file.toString())
                    + " is truncated: storage '\\d+' needs ([\\d,]+) bytes of data at byte offset"
                    + " ([\\d,]+) but the file ends at ([\\d,]+)")
            .matcher(e.getMessage());
    assertTrue(m.matches(), e.getMessage());
    long needed = number(m.group(1));
    long offset = number(m.group(2));
    assertEquals(whole.length, offset + needed, "the last storage ends where the file did");
    assertEquals(whole.length - 5, number(m.group(3)));
  }

  @Test
  void aLegacyFileCutInItsPickleIsTruncated() throws IOException {
    Path file = temp.resolve("cut.pth");
    Files.write(file, Arrays.copyOf(Files.readAllBytes(fixture("legacy.pth")), 300));

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchStateDict.read(file));
    assertEquals(
        file + " is truncated: the pickle ends early (byte offset 300, the end of the file)",
        e.getMessage());
  }

  @Test
  void aZipWithoutAStoragesEntryNamesTheEntry() {
    Path file = fixture("missing_entry.pth");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchStateDict.read(file));
    assertEquals(
        file
            + " has no zip entry 'archive/data/6' for storage '6' (4 elements of INT16) that its"
            + " state dict uses",
        e.getMessage());
  }

  @Test
  void aStorageClaimingMoreBytesThanItsEntryHoldsIsRefusedWithoutAllocatingThem() {
    Path file = fixture("huge_storage.pth");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchStateDict.read(file));
    assertEquals(
        file
            + " is truncated: storage '0' needs 4,294,967,296 bytes but zip entry"
            + " 'archive/data/0' holds 16",
        e.getMessage());
  }

  @Test
  void aShapeReachingPastItsStorageIsRefused() {
    Path file = fixture("out_of_bounds.pth");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchStateDict.read(file));
    assertEquals(
        file
            + ": tensor 'w' of shape [5], strides [1] and storage offset 0 reaches element 5 of"
            + " storage '0', which holds 4",
        e.getMessage());
  }

  @Test
  void aPickleThatTorchDidNotSaveIsNotAStateDict() {
    Path file = fixture("plain_pickle.pth");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchStateDict.read(file));
    assertEquals(
        file
            + " is not a PyTorch state dict: it starts with a pickle of a dict, not torch's magic"
            + " number 0x1950a86a20f9469cfc6c",
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{\"w\": [1, 2]}\n"})
  void aFileWithoutAPickleOrZipHeaderIsNotAStateDict(String content) throws IOException {
    Path file = Files.writeString(temp.resolve("weights.pth"), content);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchStateDict.read(file));
    assertEquals(file + " is not a PyTorch state dict (no pickle/zip header)", e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() {
    Path file = temp.resolve("absent.pth");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchStateDict.read(file));
    assertEquals(file + " does not exist", e.getMessage());
  }

  /** torchvision's MobileNetV2 weights, where another part of Thaw fetches them. */
  @Test
  void readsTorchvisionsMobileNetV2() {
    Path file = ThawPaths.cacheDir().resolve("zoo/mobilenet_v2/mobilenet_v2-b0353104.pth");
    Assumptions.assumeTrue(Files.isRegularFile(file), file + " is not there");

    TorchStateDict sd = TorchStateDict.read(file);

    Map<String, TorchTensor> tensors = sd.tensors();
    assertEquals(314, tensors.size());
    assertEquals("features.0.0.weight", tensors.keySet().iterator().next());
    assertEquals("classifier.1.bias", sd.tensors().lastEntry().getKey());
    assertArrayEquals(new long[] {1000, 1280}, shape(sd, "classifier.1.weight"));
    assertArrayEquals(new long[] {32, 3, 3, 3}, shape(sd, "features.0.0.weight"));
    assertArrayEquals(new long[] {32}, shape(sd, "features.0.1.running_mean"));
    TorchTensor tracked = sd.get("features.0.1.num_batches_tracked").orElseThrow();
    assertEquals(TorchDType.INT64, tracked.dtype());
    assertArrayEquals(new long[] {}, tracked.shape());
    double sum = 0;
    for (float value : sd.get("features.0.0.weight").orElseThrow().toFloats()) {
      sum += value;
    }
    // PyTorch 2.7.1: sd['features.0.0.weight'].sum().item() is -0.7730710506439209.
    assertEquals(-0.7730710506439209, sum, 1e-4);
  }

  private static long[] shape(TorchStateDict sd, String name) {
    return sd.get(name).orElseThrow().shape();
  }

  private static void assertFloats(
      TorchStateDict sd, String name, TorchDType dtype, long[] shape, float... values) {
    TorchTensor tensor = sd.get(name).orElseThrow(() -> new AssertionError("no tensor " + name));
    assertEquals(dtype, tensor.dtype(), name);
    assertArrayEquals(shape, tensor.shape(), name);
    assertEquals(values.length, tensor.numel(), name);
    assertArrayEquals(values, tensor.toFloats(), name);
  }

  private static void assertLongs(
      TorchStateDict sd, String name, TorchDType dtype, long[] shape, long... values) {
    TorchTensor tensor = sd.get(name).orElseThrow(() -> new AssertionError("no tensor " + name));
    assertEquals(dtype, tensor.dtype(), name);
    assertArrayEquals(shape, tensor.shape(), name);
    assertEquals(values.length, tensor.numel(), name);
    assertArrayEquals(values, tensor.toLongs(), name);
  }

  private static void assertMessage(Exception e, String part) {
    assertTrue(
        e.getMessage().contains(part), () -> "'" + e.getMessage() + "' lacks '" + part + "'");
  }

  private static long number(String grouped) {
    return Long.parseLong(grouped.replace(",", ""));
  }

  private static Path fixture(String name) {
    try {
      return Path.of(TorchStateDictTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
