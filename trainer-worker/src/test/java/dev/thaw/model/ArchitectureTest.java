package dev.thaw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thaw.task.ModelLoadException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void namesParseToWidthAndGroups() {
    Architecture a = Architecture.parse("thaw-cnn");
    assertEquals(16, a.width());
    assertEquals(4, a.groups());
    assertEquals(64, a.featureSize());
    Architecture b = Architecture.parse("thaw-cnn-w8-g6");
    assertEquals(8, b.width());
    assertEquals(6, b.groups());
    assertEquals("thaw-cnn-w8-g6", b.name());
    var e = assertThrows(IllegalArgumentException.class, () -> Architecture.parse("resnet50"));
    assertTrue(e.getMessage().contains("resnet50"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Architecture.parse("thaw-cnn-w8-g3"));
  }

  @Test
  void aScratchNetworkHasItsGroupsAndHeadAndRunsForward() {
    try (TransferNetwork net =
        SourceModels.open(
            new SourceModelRef.Scratch(Architecture.parse("thaw-cnn-w4-g5")),
            Device.cpu(),
            7,
            0.5)) {
      assertEquals(5, net.groups().size());
      assertEquals(7, net.headClasses());
      for (LayerGroup g : net.groups()) {
        assertEquals(2, g.parameters().size(), g.name() + ": conv weight and bias");
      }
      NDArray x = net.model().getNDManager().ones(new Shape(3, 1, 28, 28));
      NDArray y =
          net.model()
              .getBlock()
              .forward(new ParameterStore(net.model().getNDManager(), false), new NDList(x), false)
              .singletonOrThrow();
      assertEquals(new Shape(3, 7), y.getShape());
    }
  }

  @Test
  void freezeDepthFreezesExactlyTheLowerGroups() {
    try (TransferNetwork net =
        SourceModels.open(
            new SourceModelRef.Scratch(Architecture.parse("thaw-cnn-w4")), Device.cpu(), 3, 0)) {
      net.setFreezeDepth(3);
      for (int i = 0; i < 4; i++) {
        boolean trainable = net.groups().get(i).parameters().get(0).requiresGradient();
        assertEquals(i >= 3, trainable, "g" + i);
      }
      assertTrue(net.headParameters().stream().allMatch(p -> p.requiresGradient()));
      net.setFreezeDepth(0);
      assertTrue(net.groups().get(0).parameters().get(0).requiresGradient());
      assertThrows(IllegalArgumentException.class, () -> net.setFreezeDepth(5));
    }
  }

  @Test
  void sourceReferencesParseToTheirKinds() {
    assertInstanceOf(SourceModelRef.Scratch.class, SourceModelRef.parse("scratch:thaw-cnn-w8"));
    assertInstanceOf(SourceModelRef.TorchScript.class, SourceModelRef.parse("/models/net.pt"));
    assertInstanceOf(
        SourceModelRef.ModelUrl.class, SourceModelRef.parse("djl://ai.djl.pytorch/resnet"));
    var p =
        assertInstanceOf(SourceModelRef.ParamsDir.class, SourceModelRef.parse("pretrained:abc"));
    assertEquals(Path.of("abc"), p.dir().getFileName());
    var e = assertThrows(ModelLoadException.class, () -> SourceModelRef.parse("scratch:vgg"));
    assertTrue(e.getMessage().contains("scratch:vgg"), e.getMessage());
  }

  @Test
  void aTorchScriptFileWithoutItsSidecarIsNamed(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path pt = dir.resolve("net.pt");
    java.nio.file.Files.writeString(pt, "not really torchscript");
    var e =
        assertThrows(
            ModelLoadException.class,
            () -> SourceModels.describe(SourceModelRef.parse(pt.toString())));
    assertTrue(e.getMessage().contains("net.pt.thaw.json"), e.getMessage());
    var missing =
        assertThrows(
            ModelLoadException.class,
            () -> SourceModels.describe(SourceModelRef.parse(dir.resolve("gone.pt").toString())));
    assertTrue(missing.getMessage().contains("gone.pt"), missing.getMessage());
  }
}
