package dev.thaw.model.text;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thaw.task.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWeightsTest {
  @TempDir Path dir;

  /** A safetensors file of float32 zeros: a little-endian header length, JSON, then the data. */
  private Path file(Map<String, long[]> tensors) throws IOException {
    StringBuilder json = new StringBuilder("{");
    long offset = 0;
    for (var e : tensors.entrySet()) {
      long n = 1;
      for (long d : e.getValue()) {
        n *= d;
      }
      json.append(json.length() > 1 ? "," : "")
          .append('"')
          .append(e.getKey())
          .append("\":{\"dtype\":\"F32\",\"shape\":")
          .append(java.util.Arrays.toString(e.getValue()).replace(" ", ""))
          .append(",\"data_offsets\":[")
          .append(offset)
          .append(',')
          .append(offset + 4 * n)
          .append("]}");
      offset += 4 * n;
    }
    byte[] header = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + (int) offset);
    b.order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header);
    Path f = dir.resolve("w.safetensors");
    Files.write(f, b.array());
    return f;
  }

  @Test
  void namesEveryMissingUnexpectedAndMisshapedTensor() throws IOException {
    Map<String, long[]> held = new LinkedHashMap<>();
    held.put("a.weight", new long[] {2, 3});
    held.put("b.weight", new long[] {4});
    held.put("stray", new long[] {1});
    held.put("ignored", new long[] {1});
    Path f = file(held);
    Map<String, Shape> expected = new LinkedHashMap<>();
    expected.put("a.weight", new Shape(3, 2));
    expected.put("b.weight", new Shape(4));
    expected.put("c.bias", new Shape(4));
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      SafetensorsWeights w = SafetensorsWeights.read(f, m);
      ModelLoadException e =
          assertThrows(ModelLoadException.class, () -> w.check(expected, Set.of("ignored")));
      String message = e.getMessage();
      assertTrue(message.contains("missing tensor(s) 'c.bias'"), message);
      assertTrue(message.contains("unexpected tensor(s) 'stray'"), message);
      assertTrue(message.contains("'a.weight' has shape (2, 3)"), message);
      assertTrue(!message.contains("b.weight") && !message.contains("'ignored'"), message);
      w.check(Map.of("b.weight", new Shape(4)), Set.of("a.weight", "stray", "ignored"));
    }
  }
}
