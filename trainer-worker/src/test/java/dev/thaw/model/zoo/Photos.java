package dev.thaw.model.zoo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thaw.data.LabelledImages;
import dev.thaw.model.TransferNetwork;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Test inputs for the zoo networks: real photos (scikit-image's, fetched by set-up) and a synthetic
 * pattern whose PyTorch logits are known.
 */
final class Photos {
  private Photos() {}

  /** True when the zoo's weights and the photos are fetched ({@code ./thaw models fetch}). */
  static boolean present() {
    return PackagedFiles.zooWeightsPresent()
        && PackagedFile.get("photo-chelsea").isPresent()
        && PackagedFile.get("photo-coffee").isPresent();
  }

  /** A fetched photo (e.g. {@code photo-chelsea}) as RGB bytes resized to size x size. */
  static LabelledImages photo(String id, int size) throws IOException {
    BufferedImage image = ImageIO.read(PackagedFile.get(id).verifiedPath().toFile());
    int h = image.getHeight();
    int w = image.getWidth();
    byte[] pixels = new byte[3 * h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        pixels[y * w + x] = (byte) (rgb >> 16);
        pixels[h * w + y * w + x] = (byte) (rgb >> 8);
        pixels[2 * h * w + y * w + x] = (byte) rgb;
      }
    }
    return new LabelledImages(3, h, w, pixels, new int[] {0}, List.of(id)).resized(3, size, size);
  }

  /**
   * {@code ((31 c + 7 h + 3 w) mod 256) / 255} for one 3 x size x size image: the input of the
   * PyTorch reference logits (made with torchvision 0.22.1 / torch 2.7.1, see the test).
   */
  static NDArray pattern(NDManager manager, int size) {
    float[] values = new float[3 * size * size];
    for (int c = 0; c < 3; c++) {
      for (int h = 0; h < size; h++) {
        for (int w = 0; w < size; w++) {
          values[(c * size + h) * size + w] = ((31 * c + 7 * h + 3 * w) % 256) / 255f;
        }
      }
    }
    return manager.create(values, new Shape(1, 3, size, size));
  }

  /** Images as floats in [0, 1]. */
  static NDArray floats(NDManager manager, LabelledImages images) {
    return manager.create(
        images.toFloats(), new Shape(images.size(), 3, images.height(), images.width()));
  }

  /** The network's logits for {@code x}, in inference mode. */
  static NDArray logits(TransferNetwork net, NDArray x) {
    return net.model()
        .getBlock()
        .forward(new ParameterStore(x.getManager(), false), new NDList(x), false)
        .singletonOrThrow();
  }
}
