package dev.thaw.model.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import dev.thaw.model.torch.TorchDType;
import dev.thaw.model.torch.TorchTensor;
import dev.thaw.task.ModelLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Loading a state dict into a zoo architecture, tensor by tensor by name: a state dict made from
 * the architecture itself fits and fills a fresh build, and a missing, extra, mis-shaped or integer
 * tensor is refused, named. Needs no weights file.
 */
class StateDictBindingsTest {
  private Model model;
  private ZooBackbone backbone;

  @BeforeEach
  void build() {
    backbone = MobileNetV2.build();
    SequentialBlock root = new SequentialBlock();
    backbone.groups().forEach(root::add);
    model = Model.newInstance("bindings", Device.cpu());
    model.setBlock(root);
    root.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 64, 64));
  }

  @AfterEach
  void close() {
    model.close();
  }

  /** One tensor per bound key, each filled with a value of its own, shaped as the architecture. */
  private SequencedMap<String, TorchTensor> fitting() {
    SequencedMap<String, TorchTensor> tensors = new LinkedHashMap<>();
    var params = parametersByKey();
    float fill = 0;
    for (var e : params.entrySet()) {
      tensors.put(
          e.getKey(), tensor(e.getKey(), e.getValue().getArray().getShape().getShape(), fill++));
    }
    return tensors;
  }

  private SequencedMap<String, Parameter> parametersByKey() {
    SequencedMap<String, Parameter> out = new LinkedHashMap<>();
    var names = backbone.names();
    for (String key : names.keys()) {
      out.put(key, names.parameter(key));
    }
    return out;
  }

  private static TorchTensor tensor(String name, long[] shape, float value) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    ByteBuffer data = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      data.putFloat(value);
    }
    return new TorchTensor(name, shape, TorchDType.FLOAT32, data.flip());
  }

  @Test
  void aFittingStateDictFillsEveryParameterByName() {
    var tensors = fitting();
    tensors.put("features.0.1.num_batches_tracked", longScalar());
    backbone.names().check(tensors, "fitting.pth");
    assertEquals(314 - 2 - 52, backbone.names().keys().size(), "all but the head and counters");
    ZooBackbone fresh = MobileNetV2.build();
    fresh.names().assign(tensors, model.getNDManager());
    for (String key : List.of("features.0.0.weight", "features.17.conv.3.running_var")) {
      Parameter p = fresh.names().parameter(key);
      float expected = tensors.get(key).toFloats()[0];
      assertEquals(new Shape(tensors.get(key).shape()), p.getArray().getShape(), key);
      assertArrayEquals(
          new float[] {expected, expected},
          java.util.Arrays.copyOf(p.getArray().toFloatArray(), 2),
          key);
    }
  }

  @Test
  void missingExtraAndMisShapedTensorsAreNamed() {
    var tensors = fitting();
    tensors.remove("features.3.conv.1.1.running_var");
    tensors.put("features.19.weight", tensor("features.19.weight", new long[] {3}, 1));
    tensors.put(
        "features.18.0.weight", tensor("features.18.0.weight", new long[] {10, 320, 1, 1}, 1));
    var e =
        assertThrows(ModelLoadException.class, () -> backbone.names().check(tensors, "broken.pth"));
    String m = e.getMessage();
    assertTrue(m.startsWith("broken.pth does not fit the architecture"), m);
    assertTrue(m.contains("missing tensor 'features.3.conv.1.1.running_var'"), m);
    assertTrue(m.contains("unexpected tensor 'features.19.weight'"), m);
    assertTrue(
        m.contains(
            "tensor 'features.18.0.weight' has shape [10, 320, 1, 1] but the architecture"
                + " needs [1280, 320, 1, 1]"),
        m);
  }

  @Test
  void anIntegerTensorWhereFloatsBelongIsRefused() {
    var tensors = fitting();
    tensors.put(
        "features.0.1.weight",
        new TorchTensor(
            "features.0.1.weight", new long[] {32}, TorchDType.INT64, ByteBuffer.allocate(8 * 32)));
    var e =
        assertThrows(ModelLoadException.class, () -> backbone.names().check(tensors, "ints.pth"));
    assertTrue(e.getMessage().contains("'features.0.1.weight' holds INT64 values"), e.getMessage());
  }

  private static TorchTensor longScalar() {
    return new TorchTensor(
        "features.0.1.num_batches_tracked",
        new long[0],
        TorchDType.INT64,
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN));
  }
}
