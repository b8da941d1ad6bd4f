package dev.thaw.data;

import dev.thaw.task.DatasetException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Labelled texts from a CSV table with a header: the text and the label in named columns. Classes
 * are the distinct labels in sorted order.
 */
final class TextTable {
  private TextTable() {}

  /**
   * @param csv the table's text
   * @param where the file, for messages
   * @throws DatasetException naming a missing column, an empty text or a short line
   */
  static LabelledTexts read(String csv, String where, String textColumn, String labelColumn) {
    List<CsvRows.Row> rows = CsvRows.parse(csv);
    if (rows.isEmpty()) {
      throw new DatasetException(where + " is empty");
    }
    List<String> header = rows.get(0).fields();
    int text = column(header, textColumn, where);
    int label = column(header, labelColumn, where);
    TreeSet<String> classes = new TreeSet<>();
    for (CsvRows.Row r : rows.subList(1, rows.size())) {
      if (r.fields().size() <= Math.max(text, label)) {
        throw new DatasetException(
            where + " line " + r.line() + ": " + r.fields().size() + " field(s), too few");
      }
      classes.add(r.fields().get(label).strip());
    }
    List<String> names = new ArrayList<>(classes);
    List<String> texts = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    int[] labels = new int[rows.size() - 1];
    for (int i = 1; i < rows.size(); i++) {
      CsvRows.Row r = rows.get(i);
      String t = r.fields().get(text).strip();
      if (t.isEmpty()) {
        throw new DatasetException(
            where + " line " + r.line() + ": column '" + textColumn + "' is empty");
      }
      texts.add(t);
      sources.add(where + " line " + r.line());
      labels[i - 1] = names.indexOf(r.fields().get(label).strip());
    }
    return new LabelledTexts(texts, labels, names, sources);
  }

  private static int column(List<String> header, String name, String where) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new DatasetException(
          where + " has no column '" + name + "'; its columns: " + String.join(", ", header));
    }
    return i;
  }
}
