package dev.thaw.data;

import dev.thaw.task.DatasetException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a sweep names as its dataset: a {@link Builtin} such as {@code fashion-mnist[0-4]} or an
 * {@link ImageFolder} such as {@code folder:/data/pets}. {@link #toString()} gives the canonical
 * text, which {@link #parse(String)} reads back.
 */
public sealed interface DatasetRef {

  /** Prefix that marks a user folder explicitly. */
  String FOLDER_PREFIX = "folder:";

  /** The formats of a {@link Table}: {@code csv:PATH}, {@code jsonl:PATH}. */
  enum TableFormat {
    CSV,
    JSONL;

    /** The reference prefix, e.g. {@code csv:}. */
    public String prefix() {
      return name().toLowerCase(java.util.Locale.ROOT) + ":";
    }
  }

  /**
   * Reads a dataset reference.
   *
   * <ul>
   *   <li>{@code fashion-mnist}, {@code mnist}, optionally with a class subset: {@code
   *       mnist[0,2,5-7]} (classes are relabelled 0..k-1 in the written order);
   *   <li>{@code csv:PATH} or {@code jsonl:PATH}: labelled texts in a table file;
   *   <li>{@code folder:PATH}, or any text that contains {@code /} or starts with {@code .} or
   *       {@code ~} (a leading {@code ~} is the home directory).
   * </ul>
   *
   * @throws DatasetException naming the text and what is wrong with it
   */
  static DatasetRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw new DatasetException(
          "dataset reference is empty; use a built-in ("
              + BuiltinDataset.names()
              + ") or folder:/path/to/images");
    }
    String trimmed = text.strip();
    for (TableFormat format : TableFormat.values()) {
      if (trimmed.startsWith(format.prefix())) {
        String path = trimmed.substring(format.prefix().length()).strip();
        if (path.isEmpty()) {
          throw new DatasetException(
              "dataset reference '"
                  + trimmed
                  + "' has no path; write "
                  + format.prefix()
                  + "/path/to/texts."
                  + format.name().toLowerCase(java.util.Locale.ROOT));
        }
        return new Table(format, expandHome(path));
      }
    }
    if (trimmed.startsWith(FOLDER_PREFIX)) {
      String path = trimmed.substring(FOLDER_PREFIX.length()).strip();
      if (path.isEmpty()) {
        throw new DatasetException(
            "dataset reference '" + trimmed + "' has no path; write folder:/path/to/images");
      }
      return new ImageFolder(expandHome(path));
    }
    if (trimmed.contains("/") || trimmed.startsWith(".") || trimmed.startsWith("~")) {
      return new ImageFolder(expandHome(trimmed));
    }
    if (BuiltinTexts.find(trimmed) != null) {
      return new BuiltinText(trimmed);
    }
    int bracket = trimmed.indexOf('[');
    BuiltinDataset dataset =
        BuiltinDataset.fromName(bracket < 0 ? trimmed : trimmed.substring(0, bracket).strip());
    if (bracket < 0) {
      return new Builtin(dataset.id(), null);
    }
    if (!trimmed.endsWith("]")) {
      throw new DatasetException(
          "dataset reference '"
              + trimmed
              + "' must end with ']' after the class list, as in "
              + dataset.id()
              + "[0-4]");
    }
    String list = trimmed.substring(bracket + 1, trimmed.length() - 1);
    return new Builtin(dataset.id(), ClassSubset.parse(list, trimmed, dataset));
  }

  private static Path expandHome(String path) {
    String home = System.getProperty("user.home");
    if (path.equals("~")) {
      return Path.of(home);
    }
    if (path.startsWith("~/")) {
      return Path.of(home, path.substring(2));
    }
    return Path.of(path);
  }

  /**
   * A built-in dataset, optionally restricted to some classes.
   *
   * @param name the built-in's id, see {@link BuiltinDataset#id()}
   * @param classes class ids to keep, relabelled 0..k-1 in this order; {@code null} keeps all
   */
  record Builtin(String name, int[] classes) implements DatasetRef {

    public Builtin {
      BuiltinDataset dataset = BuiltinDataset.fromName(name);
      name = dataset.id();
      if (classes != null) {
        classes = classes.clone();
        ClassSubset.validate(
            classes,
            dataset,
            name + "[" + Arrays.toString(classes).replaceAll("[\\[\\] ]", "") + "]");
      }
    }

    /** A copy of the selected classes, or {@code null} for all. */
    @Override
    public int[] classes() {
      return classes == null ? null : classes.clone();
    }

    public BuiltinDataset dataset() {
      return BuiltinDataset.fromName(name);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Builtin other
          && name.equals(other.name)
          && Arrays.equals(classes, other.classes);
    }

    @Override
    public int hashCode() {
      return 31 * name.hashCode() + Arrays.hashCode(classes);
    }

    @Override
    public String toString() {
      return classes == null ? name : name + "[" + ClassSubset.format(classes) + "]";
    }
  }

  /** A built-in text dataset, see {@link BuiltinTexts}. */
  record BuiltinText(String name) implements DatasetRef {
    public BuiltinText {
      Objects.requireNonNull(BuiltinTexts.find(name), "unknown built-in text dataset " + name);
    }

    /** The dataset. */
    public BuiltinTexts dataset() {
      return BuiltinTexts.find(name);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A folder with one sub-folder per class, of images ({@link ImageFolderDataset}) or of {@code
   * .txt} files ({@link TextFolderDataset}).
   */
  record ImageFolder(Path dir) implements DatasetRef {

    public ImageFolder {
      Objects.requireNonNull(dir, "dir");
    }

    @Override
    public String toString() {
      return FOLDER_PREFIX + dir;
    }
  }

  /**
   * Labelled texts in one file: CSV with a header row, or JSON Lines; the text and label columns
   * are the target's {@code text_column} and {@code label_column}.
   */
  record Table(TableFormat format, Path file) implements DatasetRef {
    public Table {
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
      return format.prefix() + file;
    }
  }
}
