package dev.thaw.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: columns two spaces apart, chosen columns right-aligned. */
final class TextTable {
  private final List<String> header;
  private final boolean[] right;
  private final List<List<String>> rows = new ArrayList<>();

  /**
   * @param header the column titles
   * @param rightAligned indices of the columns to right-align (numbers)
   */
  TextTable(List<String> header, int... rightAligned) {
    this.header = List.copyOf(header);
    this.right = new boolean[header.size()];
    for (int i : rightAligned) {
      right[i] = true;
    }
  }

  TextTable add(List<String> row) {
    if (row.size() != header.size()) {
      throw new IllegalArgumentException(
          "row has " + row.size() + " cells, the table " + header.size() + " columns: " + row);
    }
    rows.add(List.copyOf(row));
    return this;
  }

  /** The header and every row, trailing spaces removed. */
  List<String> lines() {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] widths = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        String fill = " ".repeat(widths[i] - cell.length());
        line.append(right[i] ? fill + cell : cell + fill);
        if (i + 1 < row.size()) {
          line.append("  ");
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }
}
