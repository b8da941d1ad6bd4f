package dev.thaw.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.thaw.model.TransferNetwork;
import dev.thaw.model.zoo.ZooNetworks;
import dev.thaw.model.zoo.ZooSource;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The MiniLM encoder built from DJL blocks, with the packaged weights and tokenizer, gives the
 * sentence embeddings sentence-transformers gives.
 */
@EnabledIf("dev.thaw.model.text.MiniLmTest#present")
class MiniLmTest {
  private static TransferNetwork net;
  private static TextTokenizer tokenizer;

  static boolean present() {
    return ZooSource.MINILM_L6.weights().isPresent() && ZooSource.MINILM_L6.tokenizer().isPresent();
  }

  @BeforeAll
  static void open() {
    net = ZooNetworks.open(ZooSource.MINILM_L6, true, Device.cpu());
    tokenizer = TextTokenizer.open(ZooSource.MINILM_L6.tokenizer().verifiedPath(), 128);
  }

  @AfterAll
  static void close() {
    net.close();
    tokenizer.close();
  }

  /** Mean-pooled, L2-normalised sentence vectors: the encoder's groups and pooling, no head. */
  private static float[][] embed(List<String> texts) {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDList x = new NDList(tokenizer.encode(texts).toArray(m));
      ParameterStore store = new ParameterStore(m, false);
      List<Block> blocks = net.blocks();
      for (Block b : blocks.subList(0, blocks.size() - 1)) {
        x = b.forward(store, x, false);
      }
      NDArray v = x.singletonOrThrow();
      v = v.div(v.norm(new int[] {1}, true));
      float[][] rows = new float[texts.size()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = v.get(i).toFloatArray();
      }
      return rows;
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /**
   * The reference of issue 19, from a BERT forward pass on these weights (sentence-transformers
   * gives the same): cos("A man is eating food.", "A man is eating a piece of bread.") = 0.7553,
   * and -0.105 against "The girl is carrying a baby." (both sentences from sentence-transformers'
   * own examples).
   */
  @Test
  void sentenceSimilaritiesMatchTheReference() {
    float[][] e =
        embed(
            List.of(
                "A man is eating food.",
                "A man is eating a piece of bread.",
                "The girl is carrying a baby."));
    assertEquals(0.7553, dot(e[0], e[1]), 1e-3);
    assertEquals(-0.105, dot(e[0], e[2]), 1e-3);
  }

  /** Padding must not change a text's vector: the mask keeps it out of attention and pooling. */
  @Test
  void aForwardPassLeavesItsArraysOnTheBatchsManagerNotTheModels() {
    // Arrays on the model's manager live as long as the model: a validation pass once held GBs.
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDList x = new NDList(tokenizer.encode(List.of("A man is eating food.")).toArray(m));
      ParameterStore store = new ParameterStore(m, false);
      List<Block> blocks = net.blocks();
      for (Block b : blocks.subList(0, blocks.size() - 1)) {
        x = b.forward(store, x, false);
        org.junit.jupiter.api.Assertions.assertSame(m, x.head().getManager(), b.toString());
      }
    }
  }

  @Test
  void paddingDoesNotChangeAnEmbedding() {
    float[] alone = embed(List.of("A man is eating food."))[0];
    float[] padded =
        embed(List.of("A man is eating food.", "a much longer sentence " + "and more ".repeat(20)))[
            0];
    assertEquals(1.0, dot(alone, padded), 1e-5);
  }

  @Test
  void tokenizerTruncatesAndMasks() {
    try (TextTokenizer short4 =
        TextTokenizer.open(ZooSource.MINILM_L6.tokenizer().verifiedPath(), 4)) {
      TextTokenizer.TokenRows rows = short4.encode(List.of("A man is eating food.", "Hi"));
      assertEquals(4, rows.length());
      // [CLS] a man [SEP] / [CLS] hi [SEP] [PAD], then the masks
      assertArrayEquals(
          new long[] {101, 1037, 2158, 102, 1, 1, 1, 1, 101, 7632, 102, 0, 1, 1, 1, 0},
          rows.data());
    }
  }
}
