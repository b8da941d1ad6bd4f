package dev.thaw.sweep;

/**
 * One problem in a sweep file.
 *
 * @param path where, as dotted keys with list indices ({@code parameters.dropout.max}, {@code
 *     parameters.lr_head.values[0]}); empty for the file as a whole
 * @param message what is wrong, echoing the bad value and saying what would be valid
 * @param line 1-based line in the file, or null when unknown
 * @param column 1-based column in the file, or null when unknown
 */
public record SweepError(String path, String message, Integer line, Integer column) {

  /** An error without a position (for specs that did not come from a file). */
  public static SweepError at(String path, String message) {
    return new SweepError(path, message, null, null);
  }

  /** A copy with a position. */
  public SweepError at(Integer newLine, Integer newColumn) {
    return new SweepError(path, message, newLine, newColumn);
  }

  /** E.g. {@code parameters.dropout.max: must be > min (got 0.1 <= 0.5) (line 12, column 10)}. */
  @Override
  public String toString() {
    String where = line == null ? "" : " (line " + line + ", column " + column + ")";
    return (path == null || path.isEmpty() ? "" : path + ": ") + message + where;
  }
}
