package dev.thaw.data;

import dev.thaw.task.DatasetException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The class list of a built-in reference such as {@code mnist[0,2,5-7]}: parsing, validation and
 * the canonical text (ascending runs of two or more written as ranges).
 */
final class ClassSubset {

  private ClassSubset() {}

  /**
   * Parses the text between the brackets of {@code reference} into class ids, in the written order,
   * and validates them against {@code dataset}.
   */
  static int[] parse(String list, String reference, BuiltinDataset dataset) {
    if (list.isBlank()) {
      throw new DatasetException(
          "empty class list in '" + reference + "'; write classes like " + dataset.id() + "[0-4]");
    }
    List<Integer> classes = new ArrayList<>();
    for (String rawItem : list.split(",", -1)) {
      String item = rawItem.strip();
      int dash = item.indexOf('-', 1);
      if (dash < 0) {
        classes.add(number(item, item, reference));
        continue;
      }
      int start = number(item.substring(0, dash).strip(), item, reference);
      int end = number(item.substring(dash + 1).strip(), item, reference);
      if (start > end) {
        throw new DatasetException(
            "bad class range '" + item + "' in '" + reference + "': start is greater than end");
      }
      for (int c = start; c <= end; c++) {
        classes.add(c);
      }
    }
    int[] ids = classes.stream().mapToInt(Integer::intValue).toArray();
    validate(ids, dataset, reference);
    return ids;
  }

  /**
   * Checks range, duplicates and count (at least 2) of {@code ids}; messages name {@code
   * reference}.
   */
  static void validate(int[] ids, BuiltinDataset dataset, String reference) {
    boolean[] seen = new boolean[dataset.classCount()];
    for (int id : ids) {
      if (id < 0 || id >= dataset.classCount()) {
        throw new DatasetException(
            "class "
                + id
                + " in '"
                + reference
                + "' is out of range; "
                + dataset.id()
                + " has classes 0-"
                + (dataset.classCount() - 1));
      }
      if (seen[id]) {
        throw new DatasetException("class " + id + " appears twice in '" + reference + "'");
      }
      seen[id] = true;
    }
    if (ids.length < 2) {
      throw new DatasetException(
          "'" + reference + "' selects " + ids.length + " class; at least 2 are needed");
    }
  }

  /** Canonical text of the list, without brackets: {@code 0,2,5-7}. */
  static String format(int[] ids) {
    StringJoiner joiner = new StringJoiner(",");
    int i = 0;
    while (i < ids.length) {
      int j = i;
      while (j + 1 < ids.length && ids[j + 1] == ids[j] + 1) {
        j++;
      }
      joiner.add(j > i ? ids[i] + "-" + ids[j] : Integer.toString(ids[i]));
      i = j + 1;
    }
    return joiner.toString();
  }

  private static int number(String text, String item, String reference) {
    if (!text.isEmpty() && text.length() <= 4 && text.chars().allMatch(Character::isDigit)) {
      return Integer.parseInt(text);
    }
    throw new DatasetException(
        "bad class '"
            + item
            + "' in '"
            + reference
            + "': expected a class number or a range like 0-4");
  }
}
