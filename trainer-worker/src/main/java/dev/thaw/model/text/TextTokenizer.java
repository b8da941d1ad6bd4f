package dev.thaw.model.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thaw.task.DatasetException;
import dev.thaw.task.ModelLoadException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (DJL's binding of the Rust {@code tokenizers} library, its
 * native library inside the jar, nothing downloaded): texts to word-piece ids with [CLS] and [SEP],
 * truncated to {@code maxLength} tokens, padded with an attention mask to the longest text of the
 * set.
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxLength) {
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
  }

  /**
   * Opens {@code file}, truncating texts to {@code maxLength} tokens (special tokens included).
   *
   * @throws IllegalArgumentException for a maxLength below 3 ([CLS], one token, [SEP])
   * @throws ModelLoadException when the file cannot be read
   */
  public static TextTokenizer open(Path file, int maxLength) {
    if (maxLength < 3) {
      throw new IllegalArgumentException(
          "max_length must be at least 3 ([CLS], a token, [SEP]) (got " + maxLength + ")");
    }
    try {
      HuggingFaceTokenizer t =
          HuggingFaceTokenizer.newInstance(
              file,
              Map.of(
                  "maxLength", Integer.toString(maxLength),
                  "truncation", "true",
                  "padding", "false",
                  "addSpecialTokens", "true"));
      return new TextTokenizer(t, maxLength);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
    }
  }

  /** The longest a text gets, in tokens. */
  public int maxLength() {
    return maxLength;
  }

  /**
   * Token rows for {@code texts}, in order.
   *
   * @throws DatasetException for a text that is empty or only white space, naming its index
   */
  public TokenRows encode(List<String> texts) {
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null || texts.get(i).isBlank()) {
        throw new DatasetException("text " + i + " is empty");
      }
    }
    Encoding[] encodings = tokenizer.batchEncode(texts);
    int length = 1;
    for (Encoding e : encodings) {
      length = Math.max(length, Math.min(maxLength, e.getIds().length));
    }
    long[] rows = new long[texts.size() * 2 * length];
    for (int i = 0; i < encodings.length; i++) {
      long[] ids = encodings[i].getIds();
      long[] mask = encodings[i].getAttentionMask();
      int n = Math.min(length, ids.length);
      System.arraycopy(ids, 0, rows, i * 2 * length, n);
      System.arraycopy(mask, 0, rows, i * 2 * length + length, n);
    }
    return new TokenRows(rows, texts.size(), length);
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  /**
   * Texts as token rows, N x 2 x L: for each text its ids (0 = [PAD] after the end) and its mask.
   *
   * @param data the rows, text by text
   * @param count N
   * @param length L
   */
  public record TokenRows(long[] data, int count, int length) {
    /** The rows as an int64 array N x 2 x L. */
    public NDArray toArray(NDManager manager) {
      return manager.create(data, new Shape(count, 2, length));
    }

    /** The rows of the texts at {@code indices}, in that order. */
    public TokenRows select(int[] indices) {
      int row = 2 * length;
      long[] picked = new long[indices.length * row];
      for (int i = 0; i < indices.length; i++) {
        System.arraycopy(data, indices[i] * row, picked, i * row, row);
      }
      return new TokenRows(picked, indices.length, length);
    }
  }
}
