package dev.thaw.data;

import dev.thaw.model.text.TextTokenizer;
import java.util.List;

/**
 * Labelled texts as the encoder takes them: token rows (ids and attention mask) per text.
 *
 * @param rows the token rows, N x 2 x L
 * @param labels each text's class id
 * @param classNames the class names in label order
 */
public record TokenizedTexts(TextTokenizer.TokenRows rows, int[] labels, List<String> classNames)
    implements LabelledExamples {

  /** Tokenizes {@code texts}. */
  public static TokenizedTexts of(LabelledTexts texts, TextTokenizer tokenizer) {
    return new TokenizedTexts(tokenizer.encode(texts.texts()), texts.labels(), texts.classNames());
  }

  @Override
  public int size() {
    return labels.length;
  }
}
