package dev.thaw.data;

import java.util.List;

/** Labelled examples of any kind (images, texts), as splitting and training see them. */
public interface LabelledExamples {
  /** Number of examples. */
  int size();

  /** Each example's class id, 0..classes-1. */
  int[] labels();

  /** The class names in label order. */
  List<String> classNames();

  /** How many examples each class has. */
  default int[] classCounts() {
    int[] counts = new int[classNames().size()];
    for (int label : labels()) {
      counts[label]++;
    }
    return counts;
  }
}
