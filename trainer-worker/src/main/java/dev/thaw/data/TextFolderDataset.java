package dev.thaw.data;

import dev.thaw.task.DatasetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A folder with one sub-folder of {@code .txt} files per class (the class names are the sub-folder
 * names, in sorted order, as for images). Every file is one example, read as strict UTF-8.
 */
public final class TextFolderDataset {
  private TextFolderDataset() {}

  /** True when {@code dir}'s class folders hold {@code .txt} files (a text, not image, folder). */
  public static boolean holdsText(Path dir) {
    for (Path classDir : classDirs(dir)) {
      try (Stream<Path> files = Files.list(classDir)) {
        if (files.anyMatch(TextFolderDataset::isText)) {
          return true;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return false;
  }

  /**
   * Reads every class folder.
   *
   * @throws DatasetException naming the folder with no texts, the file that is not UTF-8 or empty
   */
  public static LabelledTexts load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException("text folder " + dir + " does not exist");
    }
    List<Path> classes = classDirs(dir);
    if (classes.size() < 2) {
      throw new DatasetException(
          dir + " has " + classes.size() + " class folder(s); a task needs at least 2");
    }
    List<String> texts = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int label = 0; label < classes.size(); label++) {
      Path classDir = classes.get(label);
      names.add(classDir.getFileName().toString());
      List<Path> files;
      try (Stream<Path> s = Files.list(classDir)) {
        files = s.filter(TextFolderDataset::isText).sorted().toList();
      } catch (IOException e) {
        throw new DatasetException("cannot list " + classDir + ": " + e.getMessage(), e);
      }
      if (files.isEmpty()) {
        throw new DatasetException("class folder " + classDir + " has no .txt files");
      }
      for (Path f : files) {
        String text = read(f);
        if (text.isBlank()) {
          throw new DatasetException(f + " is empty");
        }
        texts.add(text.strip());
        sources.add(f.toString());
        labels.add(label);
      }
    }
    return new LabelledTexts(
        texts, labels.stream().mapToInt(Integer::intValue).toArray(), names, sources);
  }

  private static String read(Path f) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(f)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DatasetException(f + " is not UTF-8 text (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new DatasetException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  private static boolean isText(Path f) {
    return Files.isRegularFile(f)
        && f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt");
  }

  private static List<Path> classDirs(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory)
          .filter(d -> !d.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
