package dev.thaw.model.text;

/**
 * The sizes of a BERT encoder, as its {@code config.json} gives them.
 *
 * @param vocabulary word-piece vocabulary size
 * @param hidden width of every token's vector
 * @param layers transformer layers
 * @param heads attention heads per layer
 * @param intermediate width of the feed-forward layer
 * @param maxPositions longest input in tokens
 * @param typeVocabulary segment (token type) embeddings
 * @param layerNormEps epsilon of every layer normalisation
 * @param dropout dropout on hidden states and attention probabilities while training
 */
public record BertConfig(
    int vocabulary,
    int hidden,
    int layers,
    int heads,
    int intermediate,
    int maxPositions,
    int typeVocabulary,
    float layerNormEps,
    float dropout) {

  /** sentence-transformers all-MiniLM-L6-v2: 6 layers, 384 wide, 12 heads, 30,522 word pieces. */
  public static final BertConfig MINILM_L6 =
      new BertConfig(30_522, 384, 6, 12, 1536, 512, 2, 1e-12f, 0.1f);

  public BertConfig {
    if (hidden % heads != 0) {
      throw new IllegalArgumentException(
          "hidden size " + hidden + " is not a multiple of " + heads + " heads");
    }
  }
}
