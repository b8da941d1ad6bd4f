package dev.thaw.model.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.thaw.model.TransferNetwork;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The zoo networks built in Java compute what PyTorch computes with the same weights, and the
 * weights are real: photos land in the right ImageNet classes.
 */
@EnabledIf("dev.thaw.model.zoo.Photos#present")
class ZooNetworksTest {

  /**
   * Reference logits of {@link Photos#pattern}, printed by torch 2.7.1 with torchvision 0.22.1's
   * {@code mobilenet_v2()} and {@code efficientnet_lite_pytorch} 0.1.0's {@code
   * EfficientNet.from_name("efficientnet-lite0", image_size=None)} (dynamic SAME padding), each
   * with its packaged state dict, in eval mode, input normalised by ImageNet's mean and std. 97 is
   * odd, so the stride-2 convolutions pad unevenly there.
   */
  @ParameterizedTest
  @CsvSource({
    "MOBILENET_V2, 224, 645 915 733 906 545, 13.81025 12.85128 11.4381 11.35746 10.65087",
    "EFFICIENTNET_LITE0, 224, 905 807 650 811 600, 7.49924 4.57223 4.46614 4.4582 4.40288",
    "MOBILENET_V2, 97, 645 506 545 905 456, 14.86531 12.82899 11.51325 11.29945 11.14555",
    "EFFICIENTNET_LITE0, 97, 542 418 699 696 905, 11.52423 9.38082 8.79986 8.47393 8.29588"
  })
  void logitsMatchPyTorch(ZooSource zoo, int size, String classes, String logits) {
    try (TransferNetwork net = ZooNetworks.open(zoo, true, Device.cpu());
        NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray y = Photos.logits(net, Photos.pattern(m, size)).get(0);
      long[] top = y.argSort(0, false).get(":5").toLongArray();
      assertArrayEquals(longs(classes), top, "top-5 classes");
      String[] expected = logits.split(" ");
      for (int i = 0; i < 5; i++) {
        assertEquals(Double.parseDouble(expected[i]), y.getFloat(top[i]), 2e-3, "logit " + i);
      }
    }
  }

  /**
   * scikit-image's chelsea.png is a tabby cat (ImageNet 281-285 are the domestic cats; both models
   * say 285, Egyptian cat, in PyTorch too) and coffee.png an espresso (967).
   */
  @ParameterizedTest
  @CsvSource({
    "MOBILENET_V2, photo-chelsea, 281, 285",
    "MOBILENET_V2, photo-coffee, 967, 967",
    "EFFICIENTNET_LITE0, photo-chelsea, 281, 285",
    "EFFICIENTNET_LITE0, photo-coffee, 967, 967"
  })
  void photosLandInTheirImageNetClasses(ZooSource zoo, String photo, int first, int last)
      throws Exception {
    try (TransferNetwork net = ZooNetworks.open(zoo, true, Device.cpu());
        NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray x = Photos.floats(m, Photos.photo(photo, 224));
      NDArray p = Photos.logits(net, x).softmax(1).get(0);
      long top = p.argMax().getLong();
      assertTrue(top >= first && top <= last, photo + " classified as " + top);
      assertTrue(p.getFloat(top) > 0.5, "confident: " + p.getFloat(top));
    }
  }

  private static long[] longs(String list) {
    return java.util.Arrays.stream(list.split(" ")).mapToLong(Long::parseLong).toArray();
  }
}
