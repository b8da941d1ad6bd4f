package dev.thaw.data;

import dev.thaw.task.DatasetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Labelled texts as read, before tokenisation.
 *
 * @param texts the texts, none empty
 * @param labels each text's class id
 * @param classNames the class names in label order
 * @param sources where each text came from (a file, a CSV line), for messages
 */
public record LabelledTexts(
    List<String> texts, int[] labels, List<String> classNames, List<String> sources)
    implements LabelledExamples {
  public LabelledTexts {
    texts = List.copyOf(texts);
    classNames = List.copyOf(classNames);
    sources = List.copyOf(sources);
    if (labels.length != texts.size() || sources.size() != texts.size()) {
      throw new IllegalArgumentException("one label and one source per text");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException("label " + labels[i] + " out of range");
      }
      if (texts.get(i).isBlank()) {
        throw new DatasetException(sources.get(i) + ": the text is empty");
      }
    }
  }

  @Override
  public int size() {
    return texts.size();
  }

  /** The texts at {@code indices}, in that order. */
  public LabelledTexts select(int[] indices) {
    List<String> t = new ArrayList<>(indices.length);
    List<String> s = new ArrayList<>(indices.length);
    int[] l = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      t.add(texts.get(indices[i]));
      s.add(sources.get(indices[i]));
      l[i] = labels[indices[i]];
    }
    return new LabelledTexts(t, l, classNames, s);
  }
}
