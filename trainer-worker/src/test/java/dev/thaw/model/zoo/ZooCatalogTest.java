package dev.thaw.model.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.model.ModelMetadata;
import dev.thaw.model.SourceModelCatalog;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.SourceModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Thaw says of the zoo models without loading any weights. */
class ZooCatalogTest {

  @Test
  void mobileNetV2HasNineGroupsWithTheirOutputShapesAt224() {
    List<SourceModelCatalog.GroupRow> rows =
        SourceModelCatalog.groups(SourceModelRef.parse("zoo:mobilenet_v2"));
    assertEquals(9, rows.size());
    assertEquals(
        List.of(
            "32x112x112",
            "16x112x112",
            "24x56x56",
            "32x28x28",
            "64x14x14",
            "96x14x14",
            "160x7x7",
            "320x7x7",
            "1280"),
        rows.stream().map(SourceModelCatalog.GroupRow::output).toList());
    assertEquals("features.2-3", rows.get(2).modules());
  }

  @Test
  void efficientNetLite0PadsLikeTensorFlowAndEndsAt1280Features() {
    List<SourceModelCatalog.GroupRow> rows =
        SourceModelCatalog.groups(SourceModelRef.parse("scratch:efficientnet_lite0"));
    assertEquals(
        List.of(
            "32x112x112",
            "16x112x112",
            "24x56x56",
            "40x28x28",
            "80x14x14",
            "112x14x14",
            "192x7x7",
            "320x7x7",
            "1280"),
        rows.stream().map(SourceModelCatalog.GroupRow::output).toList());
  }

  @Test
  void theListNamesEveryZooModelWithItsGroupsAndSourceTask() {
    var zoo =
        SourceModelCatalog.list().stream()
            .filter(e -> e.reference().equals("zoo:efficientnet_lite0"))
            .findFirst()
            .orElseThrow();
    assertEquals(9, zoo.groups());
    assertEquals("3x224x224", zoo.input());
    assertTrue(zoo.sourceTask().startsWith("ImageNet-1k"), zoo.sourceTask());
    ModelMetadata meta = SourceModels.describe(SourceModelRef.parse("zoo:mobilenet_v2"));
    assertEquals(1280, meta.featureSize());
    assertEquals(32, SourceModels.minInputSize(SourceModelRef.parse("zoo:mobilenet_v2")));
  }

  @Test
  void samePaddingPutsTheOddPixelRightAndBottom() {
    assertEquals(1, dev.thaw.model.nn.SamePadding2d.total(224, 3, 2));
    assertEquals(3, dev.thaw.model.nn.SamePadding2d.total(224, 5, 2));
    assertEquals(2, dev.thaw.model.nn.SamePadding2d.total(97, 3, 2));
    assertEquals(2, dev.thaw.model.nn.SamePadding2d.total(7, 3, 1));
  }
}
